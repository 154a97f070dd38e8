"""End to end: /samordna utskick over signed HTTP; the broadcast goes to the Slack stand-in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.ids.coordinator import Action, Field
from storage.models import Broadcast, OutboxMessage
from tests.conftest import load
from tests.support.coordination import COORDINATOR, fast_runner, register_people

CHANNEL = "#partnerskapsdag-skelleftea"


def open_compose(bot, user=COORDINATOR, text="utskick skelleftea-2021"):
    before = len(bot.slack.calls_to("views.open"))
    reply = bot.sender.command("/samordna", text, user)
    assert reply.status == 200, reply.body
    return bot.slack.wait_for("views.open", before + 1)[-1].params["view"]


def answers(text="Hej! Välkomna på *torsdag*.", audiences=("registered",), group=None,
            send_at=None):  # fmt: skip
    return {Field.TEXT: text, Field.AUDIENCE: list(audiences), Field.GROUP: group,
            Field.SEND_AT: send_at}  # fmt: skip


def progress_text(bot):
    """The latest text of the progress message in the coordinator's DM."""
    calls = [
        c
        for c in bot.slack.calls
        if c.ok
        and (
            (c.method == "chat.postMessage" and c.channel == COORDINATOR)
            or c.method == "chat.update"
        )
    ]
    return calls[-1].params["text"] if calls else ""


def wait_done(bot):
    """Until the progress says done and the runner (Home refresh included) is idle."""
    bot.slack.wait_until(lambda: "klart" in progress_text(bot), what="the broadcast finished")
    runner = bot.services.broadcasts
    bot.slack.wait_until(lambda: runner.idle, what="the runner idle")


def count(db, model):
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_broadcast_to_registered_and_channel_reaches_each_once(bot, db, clock, example):
    load(db, example, clock)
    people = register_people(db, clock.now(), 5)
    fast_runner(bot.services)
    view = open_compose(bot)
    reply = bot.sender.submit_view(view, answers(audiences=("registered", "channel")), COORDINATOR)
    preview = reply.json()
    assert preview["response_action"] == "update"
    notes = preview["view"]["blocks"][-1]["text"]["text"]
    assert "*6* mottagare" in notes and "Skickas direkt" in notes
    assert preview["view"]["blocks"][2]["text"]["text"] == "Hej! Välkomna på *torsdag*."
    assert bot.slack.posts() == []  # nothing goes out before the confirmation

    confirmed = bot.sender.submit_view(preview["view"], {}, COORDINATOR).json()
    assert "Utskicket startar" in confirmed["view"]["blocks"][0]["text"]["text"]
    wait_done(bot)
    for recipient in [*people, CHANNEL]:
        posts = bot.slack.posts(recipient)
        assert len(posts) == 1, recipient
        assert posts[0].params["text"] == "Hej! Välkomna på *torsdag*."
    assert "6 av 6 skickade" in progress_text(bot)
    with db.transaction() as session:
        keys = set(
            session.scalars(select(OutboxMessage.key).where(OutboxMessage.kind == "broadcast"))
        )
        assert keys == {f"broadcast:1:{r}" for r in [*people, CHANNEL]}
        assert session.scalars(select(Broadcast.status)).one() == "done"


def test_bad_input_is_a_clear_inline_error_and_nothing_is_stored(bot, db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 3)
    view = open_compose(bot)
    past = int((clock.now() - timedelta(hours=2)).timestamp())
    cases = {
        "empty": (answers(text="   "), Field.TEXT, "Skriv ett meddelande."),
        "too long": (answers(text="x" * 3001), Field.TEXT, "högst 3000 tecken (du skrev 3001)"),
        "past": (answers(send_at=past), Field.SEND_AT, "Tiden har redan passerat"),
        "nobody": (answers(audiences=("waitlist",)), Field.AUDIENCE, "ingen att skicka till"),
        "no audience": (answers(audiences=()), Field.AUDIENCE, "Välj minst en mottagare"),
    }
    for name, (values, field, expected) in cases.items():
        body = bot.sender.submit_view(view, values, COORDINATOR).json()
        assert body["response_action"] == "errors", name
        assert expected in body["errors"][field], name
    assert count(db, Broadcast) == 0 and count(db, OutboxMessage) == 0
    assert bot.slack.posts() == []


def test_unknown_slug_is_a_clear_message(bot, db, clock, example):
    load(db, example, clock)
    reply = bot.sender.command("/samordna", "utskick finns-inte-2099", COORDINATOR)
    assert "hittar inget evenemang som heter `finns-inte-2099`" in reply.body
    assert "`skelleftea-2021`" in reply.body
    assert bot.slack.calls_to("views.open") == []


def test_a_failed_recipient_is_listed_and_retried_once(bot, db, clock, example):
    load(db, example, clock)
    people = register_people(db, clock.now(), 3)
    fast_runner(bot.services)
    bot.slack.fail("chat.postMessage", "user_disabled", channel=people[1])
    view = open_compose(bot)
    preview = bot.sender.submit_view(view, answers(), COORDINATOR).json()["view"]
    bot.sender.submit_view(preview, {}, COORDINATOR)
    wait_done(bot)
    update = [c for c in bot.slack.calls_to("chat.update") if c.ok][-1]
    assert "2 av 3 skickade" in update.params["text"]
    blocks = update.params["blocks"]
    blocks = blocks if isinstance(blocks, list) else __import__("json").loads(blocks)
    assert f"<@{people[1]}> (`user_disabled`)" in blocks[1]["text"]["text"]
    assert blocks[2]["elements"][0]["action_id"] == Action.RETRY_FAILED

    reply = bot.sender.click(Action.RETRY_FAILED, "1", COORDINATOR,
                             response_url=bot.slack.response_url)  # fmt: skip
    assert reply.status == 200
    bot.slack.wait_until(lambda: len(bot.slack.posts(people[1])) == 1, what="the retry")
    bot.slack.wait_until(lambda: "3 av 3" in progress_text(bot), what="the final progress")
    assert [len(bot.slack.posts(p)) for p in people] == [1, 1, 1]
    assert "Försöker igen med 1 mottagare" in bot.slack.responses()[-1].params["text"]
    bot.slack.wait_until(lambda: bot.services.broadcasts.idle, what="the runner idle")

    # pressed again (or by a second coordinator): nothing left to retry, nobody gets a copy
    bot.sender.click(Action.RETRY_FAILED, "1", COORDINATOR, response_url=bot.slack.response_url)
    bot.slack.wait_until(
        lambda: "inget misslyckat" in bot.slack.responses()[-1].params["text"],
        what="the answer to the second retry",
    )
    assert bot.slack.responses()[-1].params["text"] == "Det finns inget misslyckat att skicka om."
    assert [len(bot.slack.posts(p)) for p in people] == [1, 1, 1]
    with db.read() as session:
        assert session.get(Broadcast, 1).status == "done"
