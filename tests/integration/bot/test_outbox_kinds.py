"""The general outbox sweep never sends what a paced sender owns."""

from datetime import UTC, datetime

from bot import outbox, outbox_sending
from bot.coordination import broadcast_sending


def test_broadcasts_are_paced_elsewhere():
    assert broadcast_sending.KIND in outbox_sending.PACED_ELSEWHERE


def test_due_ids_skip_broadcast_rows(db):
    now = datetime(2021, 4, 1, tzinfo=UTC)
    with db.transaction() as session:
        outbox.enqueue(
            session, key="b:1:U1", channel="U1", text="x", now=now, kind=broadcast_sending.KIND
        )
        kept = outbox.enqueue(session, key="r:1", channel="C1", text="y", now=now, kind="reminder")
    with db.transaction() as session:
        assert outbox_sending.due_ids(session, now=now) == [kept]


def test_channels_of_names_each_messages_channel(db):
    now = datetime(2021, 4, 1, tzinfo=UTC)
    with db.transaction() as session:
        first = outbox.enqueue(session, key="r:1", channel="C1", text="x", now=now, kind="reminder")
        second = outbox.enqueue(session, key="r:2", channel="U2", text="y", now=now, kind="dm")
    with db.transaction() as session:
        assert outbox_sending.channels_of(session, [first, second, 999]) == {
            first: "C1",
            second: "U2",
        }
