"""After the groups are published they follow the registrations: a cancellation leaves its
group, the person promoted into the seat is placed and told, coordinators see the change, and a
re-publication tells only those whose group changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.assignment import Participant
from bot.breakouts import follow
from bot.breakouts import service as breakouts
from bot.intake import flows
from bot.registration.form import RegistrationForm
from bot.schedule import posts
from bot.schedule.plan import PostKind, plan_posts
from storage.models import OutboxMessage
from tests.conftest import load

COORDINATORS = ["U01JGARDEST", "U01IDALINDH"]  # in the example event
SEATED = ["U0SEAT0001", "U0SEAT0002", "U0SEAT0003"]
WAITING = "U0WAIT0001"


def _register(db, clock, slug, user, prefs, org="Umeå universitet"):
    form = RegistrationForm(f"Name {user}", org, "", prefs, "", True)
    return flows.register(db, slug=slug, user_id=user, form=form, locale="sv", now=clock.now())


@pytest.fixture
def published(db, clock, example):
    """Three seats taken (first choices: ai, ai, energi), one waiting (ai, then energi)."""
    registration = example.registration.model_copy(update={"seat_limit": 3})
    definition = example.model_copy(update={"registration": registration})
    load(db, definition, clock)
    for user, prefs in zip(SEATED, [("ai",), ("ai",), ("energi",)], strict=True):
        _register(db, clock, definition.slug, user, prefs)
    _register(db, clock, definition.slug, WAITING, ("ai", "energi"))
    with db.transaction() as session:
        breakouts.draft(session, slug=definition.slug, now=clock.now())
        breakouts.publish(session, slug=definition.slug, by=COORDINATORS[0], now=clock.now())
    return definition


def _outbox(db, like):
    with db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.key.like(like)))
        return {row.key: row for row in rows}


def _placed(db, slug):
    with db.transaction() as session:
        return {u: p.group_key for u, p in breakouts.placements(session, slug=slug).items()}


def _breakout_posts(db, definition):
    post = next(p for p in plan_posts(definition) if p.kind == PostKind.BREAKOUT)
    with db.transaction() as session:
        posts.run_post(session, key=post.key, now=post.due, grace=timedelta(minutes=5))
    return _outbox(db, f"{post.key}:%")


def test_a_cancellation_leaves_the_group_and_the_newcomer_is_placed_and_told(db, clock, published):
    assert _placed(db, published.slug)[SEATED[0]] == "ai"
    result = flows.cancel(db, slug=published.slug, user_id=SEATED[0], now=clock.now())
    placed = _placed(db, published.slug)
    assert SEATED[0] not in placed
    assert placed[WAITING] == "ai"  # the freed seat in their first choice
    [promotion] = _outbox(db, f"promoted:{published.slug}:{WAITING}:%").values()
    assert "Du är placerad i gruppen *Artificiell Intelligens (AI)*" in promotion.text
    assert promotion.id in result.outbox_ids
    for coordinator in COORDINATORS:
        [notice] = _outbox(db, f"groups:{published.slug}:%:{coordinator}").values()
        assert f"<@{SEATED[0]}> har avanmält sig" in notice.text
        assert f"<@{WAITING}> fick en ledig plats och är placerad i *Artificiell" in notice.text
        assert notice.id in result.outbox_ids
    day = _breakout_posts(db, published)
    assert not any(row.channel == SEATED[0] for row in day.values())
    assert any(row.channel == WAITING for row in day.values())
    assert not any(f"<@{SEATED[0]}>" in row.text for row in day.values())
    assert any(f"<@{WAITING}>" in row.text for row in day.values())


def test_an_erasure_leaves_the_group_without_being_named(db, clock, published):
    flows.erase(db, slug=published.slug, user_id=SEATED[2], now=clock.now())
    assert SEATED[2] not in _placed(db, published.slug)
    [notice] = _outbox(db, f"groups:{published.slug}:%:{COORDINATORS[0]}").values()
    assert SEATED[2] not in notice.text
    assert "raderat sina uppgifter" in notice.text


def test_a_cancellation_before_publication_tells_nobody_about_groups(db, clock, example):
    load(db, example, clock)
    _register(db, clock, example.slug, SEATED[0], ("ai",))
    flows.cancel(db, slug=example.slug, user_id=SEATED[0], now=clock.now())
    assert _outbox(db, f"groups:{example.slug}:%") == {}


def test_a_republication_tells_only_those_whose_group_changed(db, clock, published):
    with db.transaction() as session:
        breakouts.move(session, slug=published.slug, user_id=SEATED[1], group_key="energi",
                       by=COORDINATORS[0], now=clock.now())  # fmt: skip
        _, ids = follow.publish(session, slug=published.slug, by=COORDINATORS[0], now=clock.now())
    told = _outbox(db, f"regroup:{published.slug}:%")
    assert [row.channel for row in told.values()] == [SEATED[1]]
    assert "Hållbar samhällsutveckling" in next(iter(told.values())).text
    assert [row.id for row in told.values()] == ids


def test_the_newcomer_gets_the_best_group_with_room():
    groups = {"ai": 2, "energi": 2, "larare": 3}
    person = Participant(id="U1", organisation="A", preferences=("ai", "energi"))
    full_ai = [("ai", "B"), ("ai", "C")]
    assert follow.choose_group(groups, full_ai, person, share=None).group_key == "energi"
    # the organisation cap (ceil(0.5 * 2) = 1 from A in energi) sends them past energi too
    capped = [*full_ai, ("energi", "A")]
    chosen = follow.choose_group(groups, capped, person, share=0.5)
    assert chosen.group_key == "larare" and chosen.rank is None
    assert follow.choose_group(groups, [], person, share=0.5).group_key == "ai"
