"""Grouped inserts: each is committed before insert() returns, in arrival order; a failure in a
group fails all of it and nothing of it is kept; the next group goes on."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, text

from storage.db import Database
from storage.group_commit import GroupCommit

NOTES = Table(
    "notes", MetaData(), Column("id", Integer, primary_key=True), Column("who", String(20))
)
INSERT = insert(NOTES)


@pytest.fixture
def table(db: Database) -> Database:
    with db.connection() as connection:
        NOTES.create(connection)
    return db


def _rows(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.execute(text("SELECT who FROM notes ORDER BY id")).scalars())


def test_inserts_from_many_threads_are_all_committed_when_insert_returns(table: Database) -> None:
    seen_committed: list[bool] = []

    def one(n: int) -> None:
        table.insert_grouped(INSERT, {"who": f"w{n}"})
        seen_committed.append(f"w{n}" in _rows(table))  # visible to another transaction

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(one, range(200)))
    assert sorted(_rows(table)) == sorted(f"w{n}" for n in range(200))
    assert all(seen_committed)


def test_an_insert_sent_after_another_returned_comes_after_it(table: Database) -> None:
    def person(n: int) -> None:
        for k in range(10):
            table.insert_grouped(INSERT, {"who": f"{n}:{k}"})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(person, range(8)))
    order = _rows(table)
    for n in range(8):
        assert [row for row in order if row.startswith(f"{n}:")] == [f"{n}:{k}" for k in range(10)]


def test_a_failed_insert_fails_its_group_and_the_next_group_goes_on(table: Database) -> None:
    entered, release = threading.Event(), threading.Event()
    first_begin = [True]

    def begin():
        if first_begin[0]:  # the first group waits, so that the next two queue together
            first_begin[0] = False
            entered.set()
            release.wait(5)
        return table.connection()

    group = GroupCommit(begin)
    bad_row = {"who": "x" * 10, "id": 1}  # the first group's row takes id 1: a duplicate key

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(group.insert, INSERT, {"who": "first", "id": 1})
        assert entered.wait(5)
        ok = pool.submit(group.insert, INSERT, {"who": "kept?", "id": 2})
        while len(group._queue) < 1:
            threading.Event().wait(0.001)
        bad = pool.submit(group.insert, INSERT, bad_row)
        while len(group._queue) < 2:
            threading.Event().wait(0.001)
        release.set()
        first.result(5)
        with pytest.raises(Exception, match="UNIQUE"):
            bad.result(5)
        with pytest.raises(Exception, match="UNIQUE"):
            ok.result(5)
        group.insert(INSERT, {"who": "after"})
    assert _rows(table) == ["first", "after"]
