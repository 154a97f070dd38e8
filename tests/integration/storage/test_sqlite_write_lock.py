"""A write transaction that meets another process's write lock on SQLite: it waits in short
polls with SQLite's busy handler off (not in the handler, whose sleeps grow to 100 ms), then
proceeds; past the busy timeout it fails as SQLite would. Two Database objects on one file stand
for two processes (each has its own in-process lock)."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import exc, text

from storage import db as db_module
from storage.db import SQLITE_BUSY_TIMEOUT_S, WRITE_POLL_MAX_S, Database, is_busy


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
    """As a pooled connection has it now (read without a write transaction of its own)."""
    with database.engine.execution_options(readonly=True).connect() as connection:
        raw = connection.connection.dbapi_connection
        return raw.execute("PRAGMA busy_timeout").fetchone()[0]


def test_a_writer_polls_for_the_other_process_and_then_writes(two, monkeypatch):
    first, second = two
    holding, waited, pauses = threading.Event(), [], []
    real_sleep = db_module.time.sleep

    def sleep(seconds: float) -> None:  # between two polls
        pauses.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(db_module.time, "sleep", sleep)

    def other_writer() -> None:
        holding.wait(30)
        with second.connection() as connection:  # BEGIN IMMEDIATE: waits for `first`
            timeout = connection.connection.dbapi_connection.execute("PRAGMA busy_timeout")
            waited.append((connection.execute(text("SELECT count(*) FROM t")).scalar_one(),
                           timeout.fetchone()[0]))  # fmt: skip
            connection.execute(text("INSERT INTO t VALUES (2)"))

    thread = threading.Thread(target=other_writer)
    thread.start()
    with first.connection() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
        holding.set()
        for _ in range(3000):  # until it has polled a few times (a bounded wait)
            if len(pauses) >= 5:
                break
            real_sleep(0.001)
        # it polls (in the busy handler, the first BEGIN would just wait) and cannot get in
        assert len(pauses) >= 5 and waited == []
    thread.join(30)
    assert waited == [(1, SQLITE_BUSY_TIMEOUT_S * 1000)]  # after the commit; handler restored
    assert pauses[:4] == [0.0002, 0.0004, 0.0008, 0.0016]
    assert max(pauses) == WRITE_POLL_MAX_S
    with second.read() as session:
        assert session.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]
    assert _busy_timeout(second) == SQLITE_BUSY_TIMEOUT_S * 1000


def test_past_the_busy_timeout_it_fails_keeps_nothing_and_restores_the_handler(two, monkeypatch):
    first, second = two
    with second.read():
        pass  # its connection is made (busy timeout 30 s) before the timeout below is shortened
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    with first.connection() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
        refused = pytest.raises(exc.OperationalError, match="database is locked")
        with refused, second.connection() as other:
            other.execute(text("INSERT INTO t VALUES (2)"))
    with second.read() as session:
        assert session.execute(text("SELECT n FROM t")).scalars().all() == [1]
    assert _busy_timeout(second) == 200  # restored (to the shortened timeout) after the failure


class _Refusal(sqlite3.OperationalError):
    def __init__(self, code: int) -> None:
        super().__init__("database is locked")
        self.sqlite_errorcode = code


@pytest.mark.parametrize(
    ("code", "busy"), [(5, True), (261, True), (517, True), (6, False), (1, False)]
)
def test_every_form_of_busy_is_a_wait(code, busy):
    """SQLITE_BUSY (5), _RECOVERY (261), _SNAPSHOT (517); not SQLITE_LOCKED (6) or ERROR (1)."""
    assert is_busy(_Refusal(code)) is busy
