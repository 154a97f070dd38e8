"""Broadcast buttons and modals that no longer match the database (a stale message after a
restore, another coordinator's preview, a tampered payload): each says what is wrong in words,
and nothing is stored or sent."""

from __future__ import annotations

import copy

from sqlalchemy import select

from bot.ids.coordinator import Action, Field
from storage.models import Broadcast, OutboxMessage
from tests.conftest import load
from tests.e2e.handlers.test_coordinator_broadcast import answers, count, open_compose
from tests.support.coordination import COORDINATOR, register_people

OTHER_COORDINATOR = "U01IDALINDH"  # the example's second coordinator
NOT_FOUND = "Jag hittar inte det utskicket."


def _nothing_sent(bot) -> bool:  # noqa: ANN001
    return bot.slack.posts() == [] and bot.slack.calls_to("chat.postMessage") == []


def _refused_under(bot, db, reply, field: Field, text: str) -> None:  # noqa: ANN001
    """The modal shows text under field; no broadcast stored, nothing queued or sent."""
    assert reply.status == 200
    assert reply.json() == {"response_action": "errors", "errors": {field: text}}
    assert count(db, Broadcast) == 0 and count(db, OutboxMessage) == 0
    assert _nothing_sent(bot)


def _statuses(db) -> list[str]:  # noqa: ANN001
    with db.read() as session:
        return list(session.scalars(select(Broadcast.status)))


def test_an_audience_not_offered_by_the_form_is_refused_under_the_field(bot, db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 2)
    view = copy.deepcopy(open_compose(bot))
    audience = next(b for b in view["blocks"] if b.get("block_id") == Field.AUDIENCE)
    forged = {"text": {"type": "plain_text", "text": "Alla"}, "value": "everyone"}
    audience["element"]["options"].append(forged)  # a payload the real form never sends

    reply = bot.sender.submit_view(view, answers(audiences=("registered", "everyone")),
                                   COORDINATOR)  # fmt: skip

    _refused_under(bot, db, reply, Field.AUDIENCE, "Okänd mottagare `everyone`.")


def test_a_group_the_event_does_not_have_is_refused_under_the_group_field(bot, db, clock,
                                                                        example):  # fmt: skip
    load(db, example, clock)
    register_people(db, clock.now(), 2)
    view = copy.deepcopy(open_compose(bot))
    group = next(b for b in view["blocks"] if b.get("block_id") == Field.GROUP)
    # a group removed from the event file while the form was open (or a forged payload)
    gone = {"text": {"type": "plain_text", "text": "Borttagen"}, "value": "group:borttagen"}
    group["element"]["options"].append(gone)

    reply = bot.sender.submit_view(view, answers(group="group:borttagen"), COORDINATOR)

    _refused_under(bot, db, reply, Field.GROUP, "Gruppen `borttagen` finns inte i evenemanget.")


def test_a_retry_button_for_a_broadcast_that_is_gone_says_so(bot, db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 2)

    for action in (Action.RETRY_FAILED, Action.RETRY_UNKNOWN, Action.CANCEL_SCHEDULED):
        before = len(bot.slack.responses())
        reply = bot.sender.click(action, "41", COORDINATOR, response_url=bot.slack.response_url)
        assert reply.status == 200
        answer = bot.slack.wait_for("response_url", before + 1)[-1].params
        assert answer["text"].startswith(NOT_FOUND), answer["text"]
        assert answer["response_type"] == "ephemeral"
    assert count(db, Broadcast) == 0 and count(db, OutboxMessage) == 0
    assert _nothing_sent(bot)


def test_another_coordinator_cannot_confirm_someone_elses_preview(bot, db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 3)
    preview = bot.sender.submit_view(open_compose(bot), answers(), COORDINATOR).json()["view"]
    assert _statuses(db) == ["draft"]

    # the preview is only ever shown to its author: another coordinator's copy is forged
    confirmed = bot.sender.submit_view(preview, {}, OTHER_COORDINATOR)

    assert confirmed.status == 200
    notice = confirmed.json()
    assert notice["response_action"] == "update"
    assert NOT_FOUND in notice["view"]["blocks"][0]["text"]["text"]
    assert _statuses(db) == ["draft"]  # neither scheduled nor started
    assert count(db, OutboxMessage) == 0
    assert _nothing_sent(bot)
