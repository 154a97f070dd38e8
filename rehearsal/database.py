"""The rehearsal's own throw-away SQLite database: set up for speed, and watched for writes so
the rehearsal can wait for the app's background work without polling the database."""

from __future__ import annotations

import threading

from sqlalchemy import event

from storage.db import Database


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
