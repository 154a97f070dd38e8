"""A write transaction that meets another process's write lock on SQLite: it waits (polling, not
in SQLite's busy handler), then proceeds; past the busy timeout it fails as SQLite would.
Two Database objects on one file stand for two processes (each has its own in-process lock)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import exc, text

from storage import db as db_module
from storage.db import SQLITE_BUSY_TIMEOUT_S, Database


@pytest.fixture
def two(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first, second = Database(url), Database(url)
    with first.connection() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    yield first, second
    first.dispose()
    second.dispose()


def _busy_timeout(database: Database) -> int:
    with database.engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one()


def test_a_writer_waits_for_the_other_process_and_then_writes(two):
    first, second = two
    holding, waited = threading.Event(), []

    def other_writer() -> None:
        holding.wait(30)
        with second.connection() as connection:  # BEGIN IMMEDIATE: waits for `first`
            waited.append(connection.execute(text("SELECT count(*) FROM t")).scalar_one())
            connection.execute(text("INSERT INTO t VALUES (2)"))

    thread = threading.Thread(target=other_writer)
    thread.start()
    with first.connection() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
        holding.set()
        thread.join(0.3)  # it cannot get in meanwhile (a bound on the test, not a timing)
        assert thread.is_alive() and waited == []
    thread.join(30)
    assert waited == [1]  # it began after the first committed, and saw its row
    with second.read() as session:
        assert session.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]
    assert _busy_timeout(second) == SQLITE_BUSY_TIMEOUT_S * 1000  # restored after BEGIN


def test_past_the_busy_timeout_it_fails_and_keeps_nothing(two, monkeypatch):
    first, second = two
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    with first.connection() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
        refused = pytest.raises(exc.OperationalError, match="database is locked")
        with refused, second.connection() as other:
            other.execute(text("INSERT INTO t VALUES (2)"))
    with second.read() as session:
        assert session.execute(text("SELECT n FROM t")).scalars().all() == [1]
