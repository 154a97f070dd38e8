"""Claiming and recording a batch of outbox messages: one statement each, nothing sent twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot import outbox, outbox_sending
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage, OutboxStatus
from tests.support.pg import postgres_url_or_skip, temporary_database


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
        claimed = outbox_sending.claim_many(session, [*ids, later], now=now)
    assert [m.id for m in claimed] == ids  # in the order given, the one not yet due left out
    with db.transaction() as session:
        assert outbox_sending.claim_many(session, ids, now=now) == []  # already someone's
        outbox_sending.mark_many_sent(session, [(ids[0], "1.1"), (ids[1], "1.2")], now=now)
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
        outbox_sending.claim_many(session, ids, now=now, instance="inst-a")
    with db.transaction() as session:
        owners = set(session.scalars(select(OutboxMessage.claimed_by)))
        interrupted = outbox_sending.mark_own_interrupted(
            session, instance="inst-a", claimed_before=now + timedelta(seconds=1)
        )
    assert owners == {"inst-a"} and sorted(m.id for m in interrupted) == sorted(ids)


def _fan_out_twice(database, now):
    messages = [dict(key=f"fan:{i}", channel=f"U{i}", text="hej", blocks=[{"i": i}])
                for i in range(250)]  # fmt: skip
    with database.transaction() as session:
        first = outbox.enqueue_many(session, messages, now=now, kind="fan")
    again = [*messages[:3], dict(key="fan:new", channel="U9", text="ny")]
    with database.transaction() as session:
        second = outbox.enqueue_many(session, again, now=now, kind="fan")
    with database.read() as session:
        recorded = {m.key: m for m in session.scalars(select(OutboxMessage))}
    return first, second, recorded


def _assert_fanned_out(first, second, recorded, now):
    assert len(first) == 250 and first == sorted(first)  # one id each, in the order given
    assert [recorded[f"fan:{i}"].id for i in range(250)] == first
    assert second == [recorded["fan:new"].id]  # keys recorded before are skipped
    row = recorded["fan:7"]
    assert (row.blocks, row.status, row.kind, row.due_at) == ([{"i": 7}], "pending", "fan", now)


def test_enqueue_many_records_each_key_once_and_returns_the_new_ids_in_order(db, clock):
    _assert_fanned_out(*_fan_out_twice(db, clock.now()), clock.now())


def test_pg_enqueue_many_records_each_key_once_and_returns_the_new_ids_in_order(clock):
    with temporary_database(postgres_url_or_skip()) as url:
        database = Database(url)
        try:
            upgrade(database)
            _assert_fanned_out(*_fan_out_twice(database, clock.now()), clock.now())
        finally:
            database.dispose()
