"""Which instance runs the scheduler: the holder of a PostgreSQL session-level advisory lock.

APScheduler's job store must not be shared by two running schedulers, so of several app
instances on one PostgreSQL only the leader runs it. The lock lives on a dedicated connection
and vanishes with it: if the leader dies, PostgreSQL ends its session and a follower's next
attempt succeeds. With SQLite there is one instance by design, so it is always the leader.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, text

from storage.db import Database

logger = logging.getLogger(__name__)
SCHEDULER_LOCK_ID = 7_202_105  # storage.migrate uses 7_202_104


class LeaderLock:
    def __init__(self, db: Database, lock_id: int = SCHEDULER_LOCK_ID):
        self.db = db
        self.lock_id = lock_id
        self._connection: Connection | None = None

    @property
    def held(self) -> bool:
        return self.db.is_sqlite or self._connection is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this instance is (now) the leader."""
        if self.held:
            return True
        connection = self.db.engine.connect()
        try:
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:id)"), {"id": self.lock_id}
            ).scalar_one()
            connection.commit()
        except Exception:
            connection.close()
            raise
        if got:
            self._connection = connection
        else:
            connection.close()
        return bool(got)

    def still_held(self) -> bool:
        """Check the lock's connection is alive; if not, the lock is lost (and released)."""
        if self.db.is_sqlite:
            return True
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
            return True
        except Exception:
            logger.warning("Lost the scheduler lock's connection; stepping down")
            self._drop()
            return False

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": self.lock_id})
            self._connection.commit()
        finally:
            self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.invalidate()  # never hand a lock-holding session back to the pool
                connection.close()
            except Exception:  # noqa: BLE001 - already broken
                pass
