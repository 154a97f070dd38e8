"""Engine, sessions and the unit of work. The caller owns a session's lifetime, never a repository.

SQLite: WAL, a busy timeout and `BEGIN IMMEDIATE` for every write transaction (waiting for another
process's lock in short polls), so writers queue on the database lock instead of failing half-way
with "database is locked". PostgreSQL: row locks (`SELECT ... FOR UPDATE`) in the services
serialise the few hot spots.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Insert, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.group_commit import GroupCommit

SQLITE_BUSY_TIMEOUT_S = 30
WRITE_POLL_FIRST_S = 0.0002  # a write transaction's first wait for another process's lock,
WRITE_POLL_MAX_S = 0.002  # doubled up to this (storage.db._begin_immediate)
# A pooled PostgreSQL connection idle longer than this is pinged before use (a restarted server
# or a dropped connection is then replaced unseen). SQLAlchemy's pool_pre_ping pings on every
# checkout: one more round trip per transaction, a fifth of an acknowledgement's time in a rush,
# for connections that were in use milliseconds before.
PING_IDLE_S = 2.0


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get("readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(conn)


def _begin_immediate(conn: Connection) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock in short polls (at most WRITE_POLL_MAX_S)
    instead of in SQLite's busy handler, which sleeps ever longer (up to 100 ms at a time) and so
    sleeps on long after the lock is free: with the inbox in a process of its own, a waiting
    acknowledgement meets the other process's batches. (This process's own writers queue on
    Database._writing first.) Gives up, as the busy handler would, after SQLITE_BUSY_TIMEOUT_S."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    restore = f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}"
    raw.execute("PRAGMA busy_timeout=0")  # for BEGIN only: every other wait keeps the handler
    try:
        _poll_begin(conn, raw)
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # the first error is the one to see
            raw.execute(restore)
        raise
    try:
        raw.execute(restore)
    except sqlite3.Error:  # never pool a connection that would not wait at all
        conn.invalidate()
        raise


def _poll_begin(conn: Connection, raw: Any) -> None:
    give_up = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    pause = WRITE_POLL_FIRST_S
    while time.monotonic() < give_up:
        try:
            raw.execute("BEGIN IMMEDIATE")  # on the driver: a refusal costs no error handling
            return
        except sqlite3.Error as error:
            if not is_busy(error):
                break  # not a wait: the try below raises it as SQLAlchemy words errors
        time.sleep(pause)
        pause = min(pause * 2, WRITE_POLL_MAX_S)
    conn.exec_driver_sql("BEGIN IMMEDIATE")  # the last try: its refusal as SQLAlchemy words it


def is_busy(error: BaseException) -> bool:
    """SQLite's "busy" (the lock is another connection's), in any of its extended forms
    (SQLITE_BUSY_RECOVERY while another process rebuilds the WAL index, ...)."""
    code = getattr(error, "sqlite_errorcode", None) or 0
    return code & 0xFF == sqlite3.SQLITE_BUSY


def _ping_when_idle(engine: Engine) -> None:
    """Ping a connection at checkout only if it was idle for PING_IDLE_S (the documented
    pessimistic disconnect handling, with a threshold): a failed ping replaces it."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_IDLE_S:
            return  # a new connection, or one in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(f"ping failed: {error}") from error


class Database:
    """An engine and a session factory for one database URL."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = normalise_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # hide_parameters: an error message names the statement, never the bound values (names,
        # organisations, comments are personal data and must not reach the log)
        kwargs: dict[str, object] = {"echo": echo, "future": True, "hide_parameters": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_size=20, max_overflow=40)
        self.engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        else:
            _ping_when_idle(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.RLock()
        self._grouped = (
            GroupCommit(self.connection)
            if self.is_sqlite
            else GroupCommit(
                self.connection,
                alone=self._autocommit,
                alone_rows=self.engine.dialect.insertmanyvalues_page_size,
            )
        )
        # PostgreSQL reads run in autocommit: at READ COMMITTED (the default) every statement
        # takes its own snapshot inside a transaction too, so BEGIN and COMMIT were two round
        # trips that bought nothing. SQLite's deferred BEGIN does give one snapshot: kept.
        reads = {"readonly": True} if self.is_sqlite else {"isolation_level": "AUTOCOMMIT"}
        self._reads = sessionmaker(self.engine.execution_options(**reads), expire_on_commit=False)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """SQLite: this process's writers queue on a lock of their own before BEGIN IMMEDIATE.

        Waiting in SQLite's busy handler means sleeping in steps of up to 100 ms after the lock
        is already free; a waiter on this lock runs the moment the writer before it commits.
        (Other processes still meet the busy timeout.) A writer that waited longer than the
        busy timeout goes on to SQLite's own lock as before, so this lock never makes a wait
        endless that SQLite would have ended with "database is locked"."""
        if not self.is_sqlite:
            yield
            return
        acquired = self._write_lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_S)
        try:
            yield
        finally:
            if acquired:
                self._write_lock.release()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception."""
        with self._writing(), self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core write transaction (no ORM session): commit on success, else roll back."""
        with self._writing(), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def _autocommit(self) -> Iterator[Connection]:
        """PostgreSQL: a connection on which each statement commits by itself (its isolation
        level is reset when it goes back to the pool)."""
        with self.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            yield connection

    def insert_grouped(self, statement: Insert, params: dict[str, Any]) -> None:
        """Insert a row together with other threads' grouped rows (one transaction and one
        executemany for all that queue meanwhile, in arrival order: storage/group_commit.py);
        returns once committed. For small independent inserts on a hot path. A statement marked
        with storage.group_commit.one_statement goes, on PostgreSQL, without BEGIN and COMMIT."""
        self._grouped.insert(statement, params)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (on SQLite it does not take the write lock; on PostgreSQL
        each statement is its own transaction, as READ COMMITTED reads are anyway)."""
        with self._reads() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
