"""PostgreSQL for tests and benchmarks: a fresh database per use, created and dropped here.

Tests read TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test). Without it they
skip, unless REQUIRE_POSTGRES=1 (CI), where a missing server must fail the run instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import normalise_url

SKIP_REASON = (
    "PostgreSQL tests need TEST_DATABASE_URL "
    "(e.g. postgresql://postgres@127.0.0.1:5432/test); it is not set"
)


def postgres_url_or_skip() -> str:
    """TEST_DATABASE_URL, or skip the test (fail it under REQUIRE_POSTGRES=1)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"REQUIRE_POSTGRES=1 but {SKIP_REASON}", pytrace=False)
    pytest.skip(SKIP_REASON)


@contextmanager
def temporary_database(admin_url: str) -> Iterator[str]:
    """Create `test_<uuid>` on admin_url's server, yield its URL, drop it afterwards.

    A database per use (not a schema) keeps Alembic's version table, sequences and constraint
    names fully separate, so parallel runs and other engineers' runs never collide.
    """
    base = make_url(normalise_url(admin_url))
    name = f"test_{uuid.uuid4().hex}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield base.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                # FORCE: a test that failed half-way may have left connections behind
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
