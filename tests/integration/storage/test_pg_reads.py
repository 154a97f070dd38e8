"""Reads on PostgreSQL run without BEGIN and COMMIT (autocommit: at READ COMMITTED each statement
has its own snapshot anyway), and a write transaction is still one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.db import Database

pytestmark = pytest.mark.postgres

# true only for the first statement of a transaction (the clock moves between two round trips)
FIRST_IN_ITS_TRANSACTION = "SELECT transaction_timestamp() = statement_timestamp()"


def test_each_statement_of_a_read_is_its_own_transaction(pg_db: Database) -> None:
    with pg_db.read() as session:
        session.execute(text("SELECT 1"))
        assert session.execute(text(FIRST_IN_ITS_TRANSACTION)).scalar_one() is True


def test_a_write_transaction_is_still_one_transaction(pg_db: Database) -> None:
    with pg_db.transaction() as session:
        session.execute(text("SELECT 1"))
        assert session.execute(text(FIRST_IN_ITS_TRANSACTION)).scalar_one() is False


def test_a_connection_used_for_a_read_writes_in_a_transaction_again(pg_db: Database) -> None:
    pg_db.engine.dispose()  # one connection in the pool: the read's is the write's
    for _ in range(3):
        with pg_db.read() as session:
            session.execute(text("SELECT 1"))
            read_by = session.connection().connection.dbapi_connection
            assert read_by is not None and read_by.autocommit is True
        with pg_db.transaction() as session:
            session.execute(text("SELECT 1"))
            written_by = session.connection().connection.dbapi_connection
            assert written_by is read_by  # the same connection, handed back by the pool
            assert written_by.autocommit is False
            assert session.execute(text(FIRST_IN_ITS_TRANSACTION)).scalar_one() is False
