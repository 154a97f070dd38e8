"""The coordinators' Home dashboard in human words: what each post is, which broadcast is which."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import outbox
from bot.blocks.home import build_home
from bot.coordination import broadcasts
from bot.coordination.access import CoordinatorCheck
from bot.coordination.dashboard import dashboards
from bot.events.service import get_event
from tests.conftest import load
from tests.support.coordination import COORDINATOR, SLUG, register_people


def _texts(view: dict) -> list[str]:
    texts = []
    for block in view["blocks"]:
        if block["type"] == "actions":
            texts.append("<buttons>")
        elif "text" in block and isinstance(block["text"], dict):
            texts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if isinstance(element.get("text"), str):
                texts.append(element["text"])
    return texts


@pytest.fixture(params=["sv", "en"])
def lang(request) -> str:
    return request.param


@pytest.fixture
def home(db, clock, example, lang):
    load(db, example.model_copy(update={"language": lang}), clock)  # a dashboard speaks its event's
    people = register_people(db, clock.now(), 4)
    later = clock.now() + timedelta(days=2)
    with db.transaction() as session:
        event = get_event(session, SLUG)
        for person in people:
            outbox.enqueue(session, key=f"joinlink:{SLUG}:{person}", channel=person, text="x",
                           kind="joinlink", event_id=event.id, now=clock.now(),
                           due_at=later)  # fmt: skip
        outbox.enqueue(session, key="deadline-reminder:x", channel="#x", text="x",
                       kind="deadline-reminder", event_id=event.id, now=clock.now(),
                       due_at=later)  # fmt: skip
        for text, audiences, days in (
            ("Glöm inte att fylla i enkäten", ["registered"], 3),
            ("Välkomna till väntelistan", ["waitlist", "channel"], 4),
        ):
            draft = broadcasts.save_draft(
                session, event=event, author=COORDINATOR, text=text, audiences=audiences,
                send_at=clock.now() + timedelta(days=days), lang="sv", now=clock.now(),
            )  # fmt: skip
            broadcasts.confirm(session, draft.id, by=COORDINATOR, now=clock.now())

    def build(lang):
        with db.transaction() as session:
            check = CoordinatorCheck(lambda group: [])
            boards = dashboards(session, check, user_id=COORDINATOR, now=clock.now())
            return _texts(build_home([], boards, now=clock.now(), lang=lang))

    return build


def test_the_dashboard_names_posts_in_words(home, lang):
    text = "\n".join(home(lang))
    for internal in ("joinlink", "deadline-reminder", "×"):
        assert internal not in text
    if lang == "sv":
        assert "Länken och programmet till 4 deltagare" in text
        assert "Påminnelse om sista anmälningsdag" in text
    else:
        assert "The link and the program to 4 participants" in text
        assert "Reminder of the registration deadline" in text


@pytest.mark.parametrize("lang", ["sv"])  # a Swedish event
def test_each_scheduled_broadcast_says_which_it_is(home, lang):
    texts = home("sv")
    rows = [texts[i - 1] for i, text in enumerate(texts) if text == "<buttons>"][:-1]
    assert len(rows) == 2 and rows[0] != rows[1]
    assert "Alla anmälda" in rows[0] and "Glöm inte att fylla i enkäten" in rows[0]
    assert "Väntelistan" in rows[1] and "Välkomna till väntelistan" in rows[1]
    assert "kl." in rows[0]
