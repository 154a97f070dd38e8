"""A coordinator's retry never puts a message back in line once it has been sent (PostgreSQL,
two transactions interleaved exactly where a stale read would do harm)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import update

from bot.coordination import broadcast_sending
from storage.db import Database
from storage.models import OutboxMessage, OutboxStatus
from tests.conftest import load
from tests.support.coordination import start_broadcast

pytestmark = pytest.mark.postgres


def _set_status(db: Database, outbox_id: int, status: OutboxStatus) -> None:
    with db.transaction() as session:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(status=status)
        )


def test_a_retry_leaves_a_message_alone_that_was_sent_meanwhile(pg_db, clock, example):
    """Two coordinators press "retry" at once: the first one's retry is sent before the second
    one's reaches the outbox. The second finds nothing left to retry (no second copy)."""
    load(pg_db, example, clock)
    broadcast_id, _people = start_broadcast(pg_db, clock.now(), 3)
    with pg_db.read() as session:
        first = broadcast_sending.pending_ids(session, broadcast_id, now=clock.now())[0]
    _set_status(pg_db, first, OutboxStatus.FAILED)

    sent_meanwhile = threading.Event()

    def before_update(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        # the first coordinator's retry, claimed and sent (its own connection, committed) the
        # moment before the second one's change of the outbox reaches the database
        if statement.startswith("UPDATE outbox") and not sent_meanwhile.is_set():
            sent_meanwhile.set()
            other = threading.Thread(target=_set_status, args=(pg_db, first, OutboxStatus.SENT))
            other.start()
            other.join()

    sa_event.listen(pg_db.engine, "before_cursor_execute", before_update)
    try:
        with pg_db.transaction() as session:
            count = broadcast_sending.retry_failed(session, broadcast_id, now=clock.now())
    finally:
        sa_event.remove(pg_db.engine, "before_cursor_execute", before_update)

    assert sent_meanwhile.is_set()
    assert count == 0
    with pg_db.read() as session:
        assert session.get(OutboxMessage, first).status == OutboxStatus.SENT
