"""Fixtures for integration tests on PostgreSQL (the SQLite `db` fixture stays the default)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.db import Database
from storage.migrate import upgrade
from tests.support.pg import postgres_url_or_skip, temporary_database


@pytest.fixture
def pg_db() -> Iterator[Database]:
    """A migrated Database on a fresh PostgreSQL database of its own, dropped afterwards."""
    admin_url = postgres_url_or_skip()
    with temporary_database(admin_url) as url:
        database = Database(url)
        try:
            upgrade(database)
            yield database
        finally:
            database.dispose()
