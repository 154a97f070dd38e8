"""Grouped inserts: each is committed before insert() returns, in arrival order; a failure in a
group fails all of it and nothing of it is kept; the next group goes on. On SQLite and on
PostgreSQL, where a group of one INSERT ... RETURNING goes without BEGIN and COMMIT."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, event, insert, select, text

from bot.intake import inbox
from storage.db import Database
from storage.group_commit import GroupCommit, _Row, one_statement
from storage.migrate import upgrade
from storage.models import InboxItem
from tests.support.pg import postgres_url_or_skip, temporary_database

NOTES = Table(
    "notes", MetaData(), Column("id", Integer, primary_key=True), Column("who", String(20))
)
INSERT = insert(NOTES)
RETURNING = one_statement(insert(NOTES).returning(NOTES.c.id))  # one multi-row INSERT per group
UNMARKED = insert(NOTES).returning(NOTES.c.id)  # the same, but not said to be one statement


@pytest.fixture(params=["sqlite", "postgresql"])
def table(request: pytest.FixtureRequest, db: Database) -> Iterator[Database]:
    if request.param == "sqlite":
        with db.connection() as connection:
            NOTES.create(connection)
        yield db
        return
    with temporary_database(postgres_url_or_skip()) as url:
        database = Database(url)
        try:
            with database.connection() as connection:
                NOTES.create(connection)
            yield database
        finally:
            database.dispose()


def _rows(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.execute(text("SELECT who FROM notes ORDER BY id")).scalars())


@pytest.mark.parametrize("statement", [INSERT, RETURNING], ids=["insert", "returning"])
def test_inserts_from_many_threads_are_all_committed_when_insert_returns(
    table: Database, statement
) -> None:
    seen_committed: list[bool] = []

    def one(n: int) -> None:
        table.insert_grouped(statement, {"who": f"w{n}"})
        seen_committed.append(f"w{n}" in _rows(table))  # visible to another transaction

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(one, range(200)))
    assert sorted(_rows(table)) == sorted(f"w{n}" for n in range(200))
    assert all(seen_committed)


@pytest.mark.parametrize("statement", [INSERT, RETURNING], ids=["insert", "returning"])
def test_an_insert_sent_after_another_returned_comes_after_it(table: Database, statement) -> None:
    def person(n: int) -> None:
        for k in range(10):
            table.insert_grouped(statement, {"who": f"{n}:{k}"})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(person, range(8)))
    order = _rows(table)
    for n in range(8):
        assert [row for row in order if row.startswith(f"{n}:")] == [f"{n}:{k}" for k in range(10)]


@pytest.mark.parametrize("statement", [INSERT, RETURNING], ids=["insert", "returning"])
def test_a_failed_insert_fails_its_group_and_the_next_group_goes_on(
    table: Database, statement
) -> None:
    entered, release = threading.Event(), threading.Event()
    first_begin = [True]

    def gated(begin):
        def gate():
            if first_begin[0]:  # the first group waits, so that the next two queue together
                first_begin[0] = False
                entered.set()
                release.wait(5)
            return begin()

        return gate

    group = GroupCommit(  # as Database builds it for the database at hand
        gated(table.connection),
        alone=None if table.is_sqlite else gated(table._autocommit),
        alone_rows=1000,
    )
    bad_row = {"who": "x" * 10, "id": 1}  # the first group's row takes id 1: a duplicate key
    duplicate = "UNIQUE|duplicate key"

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(group.insert, statement, {"who": "first", "id": 1})
        assert entered.wait(5)
        ok = pool.submit(group.insert, statement, {"who": "kept?", "id": 2})
        while len(group._queue) < 1:
            threading.Event().wait(0.001)
        bad = pool.submit(group.insert, statement, bad_row)
        while len(group._queue) < 2:
            threading.Event().wait(0.001)
        release.set()
        first.result(5)
        with pytest.raises(Exception, match=duplicate):
            bad.result(5)
        with pytest.raises(Exception, match=duplicate):
            ok.result(5)
        group.insert(statement, {"who": "after", "id": 3})
    assert _rows(table) == ["first", "after"]


def test_only_a_group_of_one_returning_statement_goes_alone(db: Database) -> None:
    """Without a transaction only what is one statement: one INSERT ... RETURNING marked so by
    its caller, within the rows one statement takes (SQLAlchemy's insertmanyvalues page)."""
    with db.connection() as connection:
        NOTES.create(connection)
    used: list[str] = []

    def counted(name, begin):
        def counting():
            used.append(name)
            return begin()

        return counting

    transaction, alone = counted("transaction", db.connection), counted("alone", db.connection)
    group = GroupCommit(transaction, alone=alone, alone_rows=2)
    groups = [
        [(RETURNING, "a")],
        [(INSERT, "b")],
        [(RETURNING, "c"), (INSERT, "d")],  # two statements
        [(RETURNING, "e"), (RETURNING, "f"), (RETURNING, "g")],  # more rows than one takes
        [(UNMARKED, "h")],  # not said to be one statement
    ]
    for rows in groups:  # each as insert() queues it when these rows arrive together
        group._queue = [_Row(statement, {"who": who}) for statement, who in rows]
        group._leading = True
        group._lead()
    assert used == ["alone", "transaction", "transaction", "transaction", "transaction"]
    assert _rows(db) == list("abcdefgh")


def test_pg_a_group_of_inbox_rows_is_one_statement_without_begin_or_commit(clock) -> None:
    """What the inbox's INSERT promises (one_statement): rows with JSON payloads and empty
    columns go as one statement, and the group sends neither BEGIN nor COMMIT."""
    with temporary_database(postgres_url_or_skip()) as url:
        database = Database(url)
        try:
            upgrade(database)
            sent: list[str] = []
            event.listen(database.engine, "before_cursor_execute",
                         lambda _c, _cur, sql, *_: sent.append(sql))  # fmt: skip
            event.listen(database.engine, "commit", lambda _c: sent.append("COMMIT"))
            rows = [
                inbox.row_of(kind=inbox.REGISTER, slug="dag", user_id=f"U{n}",
                             values={"name": f"N{n}", "choices": ["ai"] * n}, lang="sv",
                             view_id=None if n % 2 else f"V{n}", now=clock.now())
                for n in range(5)
            ]  # fmt: skip
            group = GroupCommit(database.connection, alone=database._autocommit, alone_rows=1000)
            group._queue = [_Row(inbox.INSERT, row) for row in rows]
            group._leading = True
            group._lead()
            grouped = list(sent)
            with database.read() as session:
                stored = session.scalars(select(InboxItem.user_id).order_by(InboxItem.id)).all()
        finally:
            database.dispose()
    assert [sql.split()[0].upper() for sql in grouped] == ["INSERT"]
    assert stored == [f"U{n}" for n in range(5)]
