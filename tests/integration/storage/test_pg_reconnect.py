"""A pooled PostgreSQL connection that died while idle is replaced unseen at its next use."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from storage import db as db_module
from storage.db import Database

pytestmark = pytest.mark.postgres


def _backend_pid(database: Database) -> int:
    with database.read() as session:
        return session.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_connection_killed_while_idle_is_replaced(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "PING_IDLE_S", 0.0)  # every checkout counts as idle
    pid = _backend_pid(pg_db)
    killer = create_engine(pg_db.url, poolclass=NullPool)  # not one of the pool's connections
    with killer.begin() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()
    assert _backend_pid(pg_db) not in (pid, 0)  # the dead one was pinged, replaced, no error


def test_a_connection_used_a_moment_ago_is_not_pinged(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[object] = []
    monkeypatch.setattr(pg_db.engine.dialect, "do_ping", lambda conn: pings.append(conn))
    _backend_pid(pg_db)
    _backend_pid(pg_db)
    assert pings == []
