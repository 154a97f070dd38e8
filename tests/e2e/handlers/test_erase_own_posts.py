"""/anmal radera also takes back what the bot posted about the person: its DMs to them are
deleted (chat.delete) and group posts naming them are edited (chat.update), each recorded in the
outbox so it is done once and retried; the answer says precisely what remains."""

from __future__ import annotations

from sqlalchemy import select

from bot import outbox, outbox_sending
from bot.events.service import get_event
from bot.ids.registration import Action
from storage.models import OutboxMessage
from tests.conftest import load
from tests.support.forms import USER, count, register

OTHER = "U0OTHER01"


def _group_post(db, clock, text):
    with db.transaction() as session:
        event = get_event(session, "skelleftea-2021")
        message_id = outbox.enqueue(session, key="breakout:skelleftea-2021:x:group:ai",
                                    channel="C0GROUP01", text=text, kind="breakout",
                                    event_id=event.id, now=clock.now())  # fmt: skip
        outbox_sending.mark_sent(session, message_id, now=clock.now(), slack_ts="1618000000.000100")


def _erase(bot):
    reply = bot.sender.command("/anmal", "radera", USER).json()
    button = reply["blocks"][1]["elements"][0]
    assert button["action_id"] == Action.ERASE_YES
    bot.sender.click(Action.ERASE_YES, button["value"], USER, response_url=bot.slack.response_url)
    return bot.slack.wait_for("response_url")[-1].params["text"]


def test_erasing_deletes_the_bots_dms_and_takes_the_name_out_of_group_posts(
    bot, db, clock, example
):
    load(db, example, clock)
    register(bot, USER)

    def dm_ts(kind="confirmation"):
        with db.transaction() as session:
            return session.scalars(
                select(OutboxMessage.slack_ts).where(
                    OutboxMessage.channel == USER, OutboxMessage.kind == kind
                )
            ).one()

    bot.slack.wait_until(lambda: dm_ts() is not None, what="the confirmation recorded as sent")
    sent_ts = dm_ts()
    # the calendar invitation (issue 12) is a file uploaded into the same DM
    bot.slack.wait_until(lambda: dm_ts("calendar") is not None, what="the calendar file sent")
    file_id = dm_ts("calendar")
    _group_post(db, clock, f":busts_in_silhouette: *AI* (Workshop): <@{OTHER}>, <@{USER}>")
    text = _erase(bot)
    assert "raderade" in text
    assert "mina egna meddelanden till dig" in text
    assert "andra har skrivit" in text  # what remains: others' messages
    [delete] = bot.slack.wait_for("chat.delete")
    assert delete.params["channel"] == "D" + USER[1:]  # the DM, opened by the worker
    assert delete.params["ts"] == sent_ts
    [file_delete] = bot.slack.wait_for("files.delete")
    assert file_delete.params["file"] == file_id  # the uploaded .ics names them too
    [update] = bot.slack.wait_for("chat.update")
    assert update.params["channel"] == "C0GROUP01" and update.params["ts"] == "1618000000.000100"
    assert f"<@{USER}>" not in update.params["text"] and f"<@{OTHER}>" in update.params["text"]
    with db.transaction() as session:
        texts = session.scalars(select(OutboxMessage.text)).all()
    assert not [t for t in texts if USER in t or "Ida Participant" in t]

    def takebacks_done():
        with db.transaction() as session:
            statuses = session.scalars(
                select(OutboxMessage.status).where(OutboxMessage.kind.in_(("delete", "redact")))
            ).all()
        return sorted(statuses) == ["sent", "sent", "sent"]  # the DM, the calendar file, the post

    bot.slack.wait_until(takebacks_done, what="the take-backs recorded as sent")
    assert count(db, OutboxMessage, OutboxMessage.channel == USER) == 0
    bot.services.deliverer.deliver_due()  # done once: a second sweep sends nothing again
    assert len(bot.slack.calls_to("chat.delete")) == 1
