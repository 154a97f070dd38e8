"""Grouped writes: each is committed before write() returns, in arrival order; a failure in a
group fails all of it and nothing of it is kept; the next group goes on."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Connection, text

from storage.db import Database
from storage.group_commit import GroupCommit


@pytest.fixture
def table(db: Database) -> Database:
    with db.connection() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, who TEXT)"))
    return db


def _insert(who: str):
    def work(connection: Connection) -> int:
        return connection.execute(
            text("INSERT INTO notes (who) VALUES (:who) RETURNING id"), {"who": who}
        ).scalar_one()

    return work


def _rows(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.execute(text("SELECT who FROM notes ORDER BY id")).scalars())


def test_writes_from_many_threads_are_all_committed_when_write_returns(table: Database) -> None:
    seen_committed: list[bool] = []

    def one(n: int) -> None:
        table.write_grouped(_insert(f"w{n}"))
        seen_committed.append(f"w{n}" in _rows(table))  # visible to another transaction

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(one, range(200)))
    assert sorted(_rows(table)) == sorted(f"w{n}" for n in range(200))
    assert all(seen_committed)


def test_a_write_sent_after_another_returned_comes_after_it(table: Database) -> None:
    def person(n: int) -> None:
        for k in range(10):
            table.write_grouped(_insert(f"{n}:{k}"))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(person, range(8)))
    order = _rows(table)
    for n in range(8):
        mine = [row for row in order if row.startswith(f"{n}:")]
        assert mine == [f"{n}:{k}" for k in range(10)]


def test_a_failed_write_fails_its_group_and_the_next_group_goes_on(table: Database) -> None:
    entered, release = threading.Event(), threading.Event()
    group = GroupCommit(table.connection)

    def slow_first(connection: Connection) -> int:
        entered.set()
        release.wait(5)
        return _insert("first")(connection)

    def failing(connection: Connection) -> None:
        raise RuntimeError("boom")

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(group.write, slow_first)
        assert entered.wait(5)  # the first group is being written: these two queue together
        ok, bad = pool.submit(group.write, _insert("kept?")), pool.submit(group.write, failing)
        while len(group._queue) < 2:
            threading.Event().wait(0.001)
        release.set()
        assert first.result(5) == 1
        with pytest.raises(RuntimeError):
            bad.result(5)
        with pytest.raises(RuntimeError):
            ok.result(5)
        group.write(_insert("after"))
    assert _rows(table) == ["first", "after"]
