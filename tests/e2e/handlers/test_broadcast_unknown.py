"""After a kill mid-broadcast, a message whose fate is unknown is called that, and the retry
button leaves it alone unless the coordinator asks for it explicitly (a second button)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from bot.ids.coordinator import Action
from storage.models import Broadcast, OutboxMessage
from tests.conftest import load
from tests.e2e.handlers.test_coordinator_broadcast import answers, open_compose, wait_done
from tests.support.coordination import COORDINATOR, fast_runner, register_people
from workers.broadcast_runner import flag_interrupted


def _kill_mid_send(bot, db, clock, recipient: str) -> None:
    """The state a SIGKILL leaves: the recipient's row claimed ('sending'), the broadcast going."""
    with db.transaction() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key == f"broadcast:1:{recipient}")
            .values(status="sending", claimed_at=clock.now() - timedelta(minutes=10))
        )
        session.execute(update(Broadcast).values(status="sending", finished_at=None))


def _blocks(call) -> list:
    blocks = call.params["blocks"]
    return blocks if isinstance(blocks, list) else json.loads(blocks)


def _status(db, recipient: str) -> str:
    with db.transaction() as session:
        return session.scalar(
            select(OutboxMessage.status).where(OutboxMessage.key == f"broadcast:1:{recipient}")
        )


def test_unknown_fate_is_said_and_retried_only_on_request(bot, db, clock, example):
    load(db, example, clock)
    people = register_people(db, clock.now(), 3)
    runner = fast_runner(bot.services)
    bot.slack.fail("chat.postMessage", "user_disabled", channel=people[2])
    preview = bot.sender.submit_view(open_compose(bot), answers(), COORDINATOR).json()["view"]
    bot.sender.submit_view(preview, {}, COORDINATOR)
    wait_done(bot)
    _kill_mid_send(bot, db, clock, people[1])

    before = len(bot.slack.calls_to("chat.update"))
    assert flag_interrupted(bot.services) == 1
    runner.submit(1)
    bot.slack.wait_until(lambda: runner.idle, what="the runner idle")
    update_call = [c for c in bot.slack.calls_to("chat.update")[before:] if c.ok][-1]
    text = "\n".join(b["text"]["text"] for b in _blocks(update_call) if b["type"] == "section")
    assert ":warning: 1 kom inte fram:" in text
    assert f"<@{people[2]}> (`user_disabled`)" in text
    assert ":grey_question: Utfall okänt för 1 (utskicket avbröts):" in text
    assert f"<@{people[1]}>" in text.split("okänt")[1]
    buttons = [e for b in _blocks(update_call) if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["text"]["text"]) for b in buttons] == [
        (Action.RETRY_FAILED, "Försök igen"),
        (Action.RETRY_UNKNOWN, "Skicka även till dem med okänt utfall"),
    ]

    # the plain retry: only the one that certainly failed; the unknown one is left alone
    reply = bot.sender.click(Action.RETRY_FAILED, "1", COORDINATOR,
                             response_url=bot.slack.response_url)  # fmt: skip
    assert reply.status == 200
    bot.slack.wait_until(lambda: len(bot.slack.posts(people[2])) == 1, what="the retry")
    bot.slack.wait_until(lambda: runner.idle, what="the runner idle")
    assert "Försöker igen med 1 mottagare" in bot.slack.responses()[-1].params["text"]
    assert len(bot.slack.posts(people[1])) == 1
    assert _status(db, people[1]) == "unknown"

    # asked explicitly: the unknown one is sent again
    reply = bot.sender.click(Action.RETRY_UNKNOWN, "1", COORDINATOR,
                             response_url=bot.slack.response_url)  # fmt: skip
    assert reply.status == 200
    bot.slack.wait_until(lambda: len(bot.slack.posts(people[1])) == 2, what="the explicit retry")
    bot.slack.wait_until(lambda: runner.idle, what="the runner idle")
    assert _status(db, people[1]) == "sent"
