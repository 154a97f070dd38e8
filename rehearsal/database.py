"""The rehearsal's own throw-away SQLite database: set up for speed, and watched for writes so
the rehearsal can wait for the app's background work without polling the database."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, event, func, literal_column, select

from storage.db import Database
from storage.models import InboxItem, OutboxMessage, OutboxStatus
from workers.delivery import FILE_KINDS


def throwaway(db: Database) -> None:
    """The rehearsal's database is deleted at the end: no fsync for it (a crash loses nothing
    anyone keeps). Never the app's configured database: storage/db.py sets that one up."""

    @event.listens_for(db.engine, "connect")  # runs after storage/db.py's own PRAGMAs
    def _no_sync(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


class Writes:
    """Counts the write transactions that have ended (committed and their connection returned to
    the pool, so a reader sees them), and lets a thread wait for the next one.

    The rehearsal waits for the inbox worker and the deliverer to finish; everything they finish
    ends in a write. Waiting here instead of re-reading the database every 2 ms leaves the CPU
    (one GIL on a busy machine) to the work being waited for."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        self._changed = threading.Condition()

        @event.listens_for(db.engine, "commit")
        def _committing(conn) -> None:  # before the commit: remember it for the checkin
            if not conn.get_execution_options().get("readonly"):
                conn.info["rehearsal_wrote"] = True

        @event.listens_for(db.engine, "checkin")
        def _returned(_dbapi_connection, record) -> None:  # after commit (or rollback)
            if record is not None and record.info.pop("rehearsal_wrote", False):
                with self._changed:
                    self.count += 1
                    self._changed.notify_all()

    def wait_after(self, seen: int, timeout: float) -> None:
        """Return once a write has ended since count was `seen`, or after timeout seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.count != seen, timeout=timeout)


def _unfinished(now: ColumnElement[Any], *, files: bool) -> Select[tuple[int]]:
    """How many messages are due but not yet sent (file uploads only when files=True) plus how
    many submissions wait in the inbox."""
    kinds = () if files else FILE_KINDS
    outgoing = select(func.count()).where(
        OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        OutboxMessage.due_at <= now,
        OutboxMessage.kind.not_in(kinds),
    )
    inbound = select(func.count()).where(InboxItem.status == "pending")
    return select(outgoing.scalar_subquery() + inbound.scalar_subquery())


class Backlog:
    """The rehearsal's look at what the app has still to do, asked after every write (some 700
    times): one SQL string, compiled once, on one kept DB-API connection. Through SQLAlchemy
    each look cost ~0.6 ms of the rehearsal's CPU (a transaction, an execution context and the
    expanding IN), here a few hundredths of that. The connection is in autocommit (storage/db.py
    sets SQLite's isolation_level None), so every look sees every write committed before it."""

    def __init__(self, db: Database) -> None:
        dialect = db.engine.dialect
        assert db.is_sqlite and dialect.paramstyle == "qmark", "the rehearsal's SQLite only"
        self._sql = {
            files: str(
                _unfinished(literal_column("?"), files=files).compile(
                    dialect=dialect, compile_kwargs={"literal_binds": True}
                )
            )
            for files in (False, True)
        }
        stored = OutboxMessage.due_at.type.dialect_impl(dialect).bind_processor(dialect)
        self._as_stored = stored or (lambda value: value)  # as SQLAlchemy stores it: a string
        self._connection = db.engine.raw_connection()

    def count(self, now: datetime, *, files: bool) -> int:
        row = self._connection.driver_connection.execute(  # type: ignore[union-attr]
            self._sql[files], (self._as_stored(now),)
        ).fetchone()
        return int(row[0])

    def close(self) -> None:
        self._connection.close()
