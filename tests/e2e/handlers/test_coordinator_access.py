"""Only coordinators: any action by anyone else is refused clearly, logged, and changes nothing."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.ids.coordinator import Action
from storage.models import Assignment, Broadcast, OutboxMessage, Pin
from tests.conftest import load
from tests.e2e.handlers.test_coordinator_broadcast import answers, open_compose
from tests.support.coordination import COORDINATOR, OUTSIDER, SLUG, register_people, user

REFUSED = "Det här kan bara samordnarna för `skelleftea-2021` göra"
REFUSED_ANY = "du är inte samordnare för något kommande evenemang"
SIDE_EFFECTS = ("views.open", "chat.postMessage", "files.getUploadURLExternal",
                "files.completeUploadExternal", "conversations.open")  # fmt: skip


def snapshot(db):
    with db.transaction() as session:
        return tuple(session.scalar(select(func.count()).select_from(m))
                     for m in (Broadcast, OutboxMessage, Pin, Assignment))  # fmt: skip


@pytest.fixture
def event(db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 4)


def refused_in_log(caplog) -> bool:
    return any("Refused coordinator action" in r.getMessage() and OUTSIDER in r.getMessage()
               for r in caplog.records)  # fmt: skip


@pytest.mark.parametrize("text", [
    "utskick", "lista", "export", f"flytta <@{user(1)}|p1> ai", "publicera",
    f"utskick {SLUG}", f"lista {SLUG}", f"export {SLUG}", f"flytta <@{user(1)}> ai {SLUG}",
    f"publicera {SLUG}",
])  # fmt: skip
def test_a_non_coordinator_is_refused_every_command(bot, db, event, caplog, text):
    caplog.set_level(logging.WARNING)
    before = snapshot(db)
    reply = bot.sender.command("/samordna", text, OUTSIDER)
    assert reply.status == 200
    assert (REFUSED if SLUG in text else REFUSED_ANY) in reply.body
    assert "Inget har skickats eller sparats" in reply.body
    assert refused_in_log(caplog)
    assert snapshot(db) == before
    assert not [c for c in bot.slack.calls if c.method in SIDE_EFFECTS]


def test_a_non_coordinator_cannot_submit_or_confirm_a_broadcast(bot, db, event, caplog):
    caplog.set_level(logging.WARNING)
    view = open_compose(bot)  # the coordinator's modal, replayed by someone else
    body = bot.sender.submit_view(view, answers(), OUTSIDER).json()
    assert REFUSED in body["view"]["blocks"][0]["text"]["text"]
    assert snapshot(db)[0] == 0
    preview = bot.sender.submit_view(view, answers(), COORDINATOR).json()["view"]
    body = bot.sender.submit_view(preview, {}, OUTSIDER).json()
    assert REFUSED in body["view"]["blocks"][0]["text"]["text"]
    with db.transaction() as session:
        assert session.scalars(select(Broadcast.status)).one() == "draft"
    assert snapshot(db)[1] == 0 and bot.slack.posts() == []
    assert refused_in_log(caplog)


@pytest.mark.parametrize("action", [Action.HOME_BROADCAST, Action.HOME_LIST, Action.HOME_EXPORT,
                                    Action.HOME_PUBLISH])  # fmt: skip
def test_a_non_coordinator_is_refused_every_dashboard_button(bot, db, event, caplog, action):
    caplog.set_level(logging.WARNING)
    before = snapshot(db)
    assert bot.sender.click(action, SLUG, OUTSIDER).status == 200
    dm = bot.slack.wait_for("chat.postMessage")[-1]
    assert dm.channel == OUTSIDER and REFUSED in dm.params["text"]
    assert snapshot(db) == before
    assert refused_in_log(caplog)
    assert not [c for c in bot.slack.calls if c.method in SIDE_EFFECTS and c is not dm]


@pytest.mark.parametrize("action", [Action.RETRY_FAILED, Action.CANCEL_SCHEDULED,
                                    Action.CHANGE_SCHEDULED])  # fmt: skip
def test_a_non_coordinator_cannot_touch_a_broadcast(bot, db, clock, event, caplog, action):
    caplog.set_level(logging.WARNING)
    later = int(clock.now().timestamp()) + 3600
    view = open_compose(bot)
    preview = bot.sender.submit_view(view, answers(send_at=later), COORDINATOR).json()["view"]
    bot.sender.submit_view(preview, {}, COORDINATOR)
    before = snapshot(db)
    url = bot.slack.response_url
    assert bot.sender.click(action, "1", OUTSIDER, response_url=url).status == 200
    bot.slack.wait_for("response_url")
    assert REFUSED in bot.slack.responses()[-1].params["text"]
    with db.transaction() as session:
        assert session.scalars(select(Broadcast.status)).one() == "scheduled"
    assert snapshot(db) == before and len(bot.slack.calls_to("views.open")) == 1
    assert refused_in_log(caplog)


def test_a_usergroup_member_is_a_coordinator(bot, db, clock, example):
    definition = example.model_copy(
        update={"coordinators": example.coordinators.model_copy(update={"usergroup": "S0COORDS"})}
    )
    load(db, definition, clock)
    bot.slack.usergroups["S0COORDS"] = ["U0GROUPIE"]
    reply = bot.sender.command("/samordna", "lista", "U0GROUPIE")
    assert "Anmälda: *0* av 120" in reply.body
    assert "Det här kan bara" in bot.sender.command("/samordna", "lista", OUTSIDER).body
