"""A NUL or another control character in a broadcast is refused inline, like in the registration
form: PostgreSQL could not store it, and nothing is stored or sent."""

from __future__ import annotations

from bot.ids.coordinator import Field
from storage.models import Broadcast, OutboxMessage
from tests.conftest import load
from tests.e2e.handlers.test_coordinator_broadcast import answers, count, open_compose
from tests.support.coordination import COORDINATOR, register_people


def test_control_character_in_a_broadcast_is_an_inline_error(bot, db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 2)
    reply = bot.sender.submit_view(open_compose(bot), answers(text="Hej\x00 alla"), COORDINATOR)
    assert reply.json() == {
        "response_action": "errors",
        "errors": {
            Field.TEXT: "Texten innehåller tecken som inte går att spara (t.ex. ett nolltecken). "
            "Ta bort dem."
        },
    }
    assert count(db, Broadcast) == 0 and count(db, OutboxMessage) == 0
    assert bot.slack.posts() == []
