"""Apply Alembic migrations programmatically (at start, or `python app.py db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from storage.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"
_PG_LOCK_ID = 7_202_104  # advisory lock: two instances starting at once migrate one at a time


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database schema up to date."""
    config = alembic_config(db.url)
    with db.engine.connect() as connection:
        if not db.is_sqlite:
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _PG_LOCK_ID})
            connection.commit()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
        finally:
            if not db.is_sqlite:
                connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _PG_LOCK_ID})
                connection.commit()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()
