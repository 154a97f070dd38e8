"""The groups-follow-registrations tests again on PostgreSQL (skipped without TEST_DATABASE_URL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.db import Database
from storage.migrate import upgrade
from tests.integration.bot.breakouts.test_follow_registrations import (  # noqa: F401
    published,
    test_a_cancellation_leaves_the_group_and_the_newcomer_is_placed_and_told,
    test_a_republication_tells_only_those_whose_group_changed,
    test_an_erasure_leaves_the_group_without_being_named,
)
from tests.support.pg import postgres_url_or_skip, temporary_database


@pytest.fixture
def db() -> Iterator[Database]:
    """A migrated PostgreSQL database of its own, in place of the SQLite default."""
    with temporary_database(postgres_url_or_skip()) as url:
        database = Database(url)
        try:
            upgrade(database)
            yield database
        finally:
            database.dispose()
