"""An erasure takes back the bot's Slack posts, not what went by e-mail (it cannot be unsent):
a message delivered by mail (its recorded ts starts with 'mail:') gets no take-back."""

from __future__ import annotations

from bot import outbox, outbox_sending
from bot.events.service import get_event
from bot.registration import erasure
from tests.conftest import load


def test_mailed_messages_are_not_taken_back_but_uploaded_files_are(db, clock, example):
    load(db, example, clock)
    with db.transaction() as session:
        event = get_event(session, example.slug)
        for key, ts in (("a", "mail:<x@rehearsal>"), ("b", "F00000001"), ("c", "1618.0001")):
            message_id = outbox.enqueue(session, key=key, channel="UP1", text="hej",
                                        kind="confirmation", event_id=event.id,
                                        now=clock.now())  # fmt: skip
            outbox_sending.mark_sent(session, message_id, now=clock.now(), slack_ts=ts)
        found = erasure.collect(session, event, "UP1")
    assert sorted(item.ts for item in found) == ["1618.0001", "F00000001"]
