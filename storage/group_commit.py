"""Group commit: small INSERTs from many threads committed together, in the order they came.

In a deadline rush every acknowledgement writes one row (the inbox) and must not answer before
that row is committed. One transaction each means one BEGIN/COMMIT, one pool checkout and (on
SQLite) one turn of the write lock per request. Here the first writer to arrive leads: it
takes every row queued meanwhile and inserts them in one transaction (one executemany per
statement, in arrival order); the writers that came while it committed wait, and the first of
them leads the next group.

A group of one statement whose rows go as one multi-row INSERT needs no transaction around it:
that single statement is atomic. Given `alone` (PostgreSQL's autocommit), such a group is one
round trip to the server instead of three (BEGIN, the INSERT, COMMIT). Which statements go so is
the caller's to say (one_statement()): an INSERT ... RETURNING of plain values, which SQLAlchemy
sends as one multi-row statement ("insertmanyvalues") up to its page size; an upsert whose SET
binds parameters, for one, goes a row at a time. Committing by itself moves one ambiguity: a
fault after the server ran the statement (the reply lost) leaves the rows kept while every
writer of the group is told it failed, as a lost reply to COMMIT does in a transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, Insert

ONE_STATEMENT = "group_commit_one_statement"  # an execution option of the statement
MAX_PARAMETERS = 30_000  # per statement (PostgreSQL's limit is 65,535; SQLAlchemy splits sooner)


def one_statement(statement: Insert) -> Insert:
    """Mark an INSERT ... RETURNING of plain values (no SQL expressions among them, no upsert):
    SQLAlchemy sends any number of its rows (up to its page size) as one multi-row statement,
    so a group of its rows alone may commit without a transaction."""
    return statement.execution_options(**{ONE_STATEMENT: True})


class _Row:
    __slots__ = ("statement", "params", "wake", "lead", "finished", "error")

    def __init__(self, statement: Insert, params: dict[str, Any]) -> None:
        self.statement = statement
        self.params = params
        self.wake = threading.Event()  # set when finished, or when made the next leader
        self.lead = False
        self.finished = False
        self.error: BaseException | None = None


class GroupCommit:
    """`begin`: a new write transaction on a Connection (commit on success, else roll back).
    `alone`: a Connection whose statements commit by themselves, for a group of one statement
    marked one_statement(), with RETURNING, of at most `alone_rows` rows (SQLAlchemy's page)."""

    def __init__(
        self,
        begin: Callable[[], AbstractContextManager[Connection]],
        alone: Callable[[], AbstractContextManager[Connection]] | None = None,
        alone_rows: int = 0,
    ) -> None:
        self._begin = begin
        self._alone = alone
        self._alone_rows = alone_rows
        self._lock = threading.Lock()
        self._queue: list[_Row] = []
        self._leading = False

    def insert(self, statement: Insert, params: dict[str, Any]) -> None:
        """Insert one row (statement: an INSERT without values, the same object for rows that
        may go in one executemany) in a transaction shared with the rows queued beside it;
        return once it is committed. If the group fails, all of it raises and none is kept."""
        row = _Row(statement, params)
        with self._lock:
            self._queue.append(row)
            if not self._leading:
                self._leading = row.lead = True
        if not row.lead:
            row.wake.wait()
        if not row.finished:  # made the leader of the next group
            self._lead()
        if row.error is not None:
            raise row.error

    def _goes_alone(self, statements: list[tuple[Insert, list[dict[str, Any]]]]) -> bool:
        if len(statements) != 1:
            return False
        statement, rows = statements[0]
        return (
            bool(statement.get_execution_options().get(ONE_STATEMENT))
            and bool(statement.returning_column_descriptions)  # sent as one multi-row INSERT
            and len(rows) <= self._alone_rows
            and len(rows) * len(rows[0]) <= MAX_PARAMETERS
        )

    def _lead(self) -> None:
        with self._lock:
            group, self._queue = self._queue, []
        statements = [
            (statement, [row.params for row in rows])
            for statement, rows in groupby(group, key=lambda row: row.statement)
        ]
        alone = self._alone
        begin = alone if alone is not None and self._goes_alone(statements) else self._begin
        error: BaseException | None = None
        try:
            with begin() as connection:
                for statement, params in statements:
                    connection.execute(statement, params)
        except BaseException as exc:  # every row of the group is rolled back
            error = exc
        with self._lock:
            for row in group:
                row.error = error
                row.finished = True
                row.wake.set()
            if self._queue:  # came while this group committed: the first of them leads next
                following = self._queue[0]
                following.lead = True
                following.wake.set()
            else:
                self._leading = False
