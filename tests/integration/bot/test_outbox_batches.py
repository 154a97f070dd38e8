"""Claiming and recording a batch of outbox messages: one statement each, nothing sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
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


def _deferred(database, now):
    """An inbox batch's way: messages kept, then recorded in one statement."""
    with database.transaction() as session:
        known = outbox.enqueue(session, key="known", channel="U0", text="förr", kind="test",
                               now=now)  # fmt: skip
    statements = _Statements()
    sa_event.listen(database.engine, "before_cursor_execute", statements.remember)
    with database.transaction() as session:
        with outbox.deferred(session) as recorded:
            kept = [
                outbox.enqueue(session, key=key, channel="U1", text=key, kind="test", now=now,
                               attachment={"filename": "a.ics"} if key == "b" else None)
                for key in ("a", "known", "b", "a", "c")
            ]  # fmt: skip
            statements.clear()
        in_recording = list(statements)
        also = outbox.enqueue(session, key="after", channel="U1", text="sen", kind="test", now=now)
    sa_event.remove(database.engine, "before_cursor_execute", statements.remember)
    with database.read() as session:
        rows = {m.key: m for m in session.scalars(select(OutboxMessage))}
    return known, kept, recorded, also, rows, in_recording


class _Statements(list):
    def remember(self, _conn, _cursor, statement, *_args):  # before_cursor_execute
        self.append(statement)


def _assert_deferred(known, kept, recorded, also, rows, statements):
    assert kept == [-1, -2, -3, -4, -5]  # placeholders until recorded
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1  # the whole batch in one statement
    assert recorded == {-1: rows["a"].id, -2: None, -3: rows["b"].id, -4: None, -5: rows["c"].id}
    assert rows["known"].id == known and rows["known"].text == "förr"  # recorded before: kept
    assert rows["a"].id < rows["b"].id < rows["c"].id < also  # in the order enqueued
    assert rows["b"].attachment == {"filename": "a.ics"} and rows["a"].attachment is None
    assert outbox.resolve([7, -1, -2, -3], recorded) == [7, rows["a"].id, rows["b"].id]


def test_deferred_messages_are_recorded_in_one_statement_in_order_each_key_once(db, clock):
    _assert_deferred(*_deferred(db, clock.now()))


def test_pg_deferred_messages_are_recorded_in_one_statement_in_order_each_key_once(clock):
    with temporary_database(postgres_url_or_skip()) as url:
        database = Database(url)
        try:
            upgrade(database)
            _assert_deferred(*_deferred(database, clock.now()))
        finally:
            database.dispose()


def test_deferring_refuses_nesting_and_a_fan_out_and_keeps_nothing_after_a_fault(db, clock):
    now = clock.now()
    with db.transaction() as session:
        with outbox.deferred(session):
            with pytest.raises(RuntimeError, match="already deferring"), outbox.deferred(session):
                pass
            with pytest.raises(RuntimeError, match="enqueue_many"):
                outbox.enqueue_many(session, [dict(key="f", channel="U1", text="x")], now=now,
                                    kind="fan")  # fmt: skip
        with pytest.raises(ValueError), outbox.deferred(session):
            outbox.enqueue(session, key="lost", channel="U1", text="x", kind="test", now=now)
            raise ValueError("the batch failed")
        assert outbox.DEFERRED not in session.info  # the session records at once again
        kept = outbox.enqueue(session, key="kept", channel="U1", text="x", kind="test", now=now)
    with db.read() as session:
        keys = set(session.scalars(select(OutboxMessage.key)))
    assert kept is not None and kept > 0 and keys == {"kept"}
