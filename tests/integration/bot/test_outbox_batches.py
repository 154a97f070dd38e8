"""Claiming and recording a batch of outbox messages: one statement each, nothing sent twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot import outbox
from storage.models import OutboxMessage, OutboxStatus


def _enqueue(db, now, n, due=None):
    with db.transaction() as session:
        return [
            outbox.enqueue(
                session, key=f"k{i}", channel=f"U{i}", text="hej", kind="test", now=now, due_at=due
            )  # fmt: skip
            for i in range(n)
        ]


def test_claim_many_takes_only_due_pending_messages_once(db, clock):
    now = clock.now()
    ids = _enqueue(db, now, 3)
    [later] = _enqueue_later(db, now)
    with db.transaction() as session:
        claimed = outbox.claim_many(session, [*ids, later], now=now)
    assert [m.id for m in claimed] == ids  # in the order given, the one not yet due left out
    with db.transaction() as session:
        assert outbox.claim_many(session, ids, now=now) == []  # already someone's
        outbox.mark_many_sent(session, [(ids[0], "1.1"), (ids[1], "1.2")], now=now)
    with db.transaction() as session:
        rows = dict(session.execute(select(OutboxMessage.id, OutboxMessage.status)).all())
        ts = session.scalar(select(OutboxMessage.slack_ts).where(OutboxMessage.id == ids[1]))
    assert [rows[i] for i in ids] == [OutboxStatus.SENT, OutboxStatus.SENT, OutboxStatus.SENDING]
    assert rows[later] == OutboxStatus.PENDING and ts == "1.2"


def _enqueue_later(db, now):
    with db.transaction() as session:
        return [outbox.enqueue(session, key="later", channel="U9", text="sen", kind="test",
                               now=now, due_at=now + timedelta(hours=1))]  # fmt: skip


def test_claim_many_records_the_claiming_instance(db, clock):
    """Crash recovery (issue 10) finds this instance's unfinished rows by claimed_by."""
    now = clock.now()
    ids = _enqueue(db, now, 2)
    with db.transaction() as session:
        outbox.claim_many(session, ids, now=now, instance="inst-a")
    with db.transaction() as session:
        owners = set(session.scalars(select(OutboxMessage.claimed_by)))
        interrupted = outbox.mark_own_interrupted(
            session, instance="inst-a", claimed_before=now + timedelta(seconds=1)
        )
    assert owners == {"inst-a"} and sorted(m.id for m in interrupted) == sorted(ids)
