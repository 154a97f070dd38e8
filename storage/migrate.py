"""Apply Alembic migrations programmatically (at start, or `python app.py db upgrade`).

Alembic (and Mako) cost a running process about 9 MB, so they are imported only when there is
something to migrate: a database already at the newest revision is recognised without them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, text

from storage.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_PG_LOCK_ID = 7_202_104  # advisory lock: two instances starting at once migrate one at a time
_ASSIGNMENT = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"""['"]([^'"]+)['"]""")


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def newest_revision() -> str | None:
    """The single head of the migration scripts, read from their `revision` and
    `down_revision` lines; None when that is not certain (then Alembic decides)."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(
            (name, _QUOTED.findall(value))
            for name, value in _ASSIGNMENT.findall(script.read_text("utf-8"))
        )
        if len(found.get("revision", [])) != 1:
            return None
        revisions.add(found["revision"][0])
        parents.update(found.get("down_revision", []))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_newest(db: Database) -> bool:
    newest = newest_revision()
    if newest is None:
        return False
    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        return list(current) == [newest]


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database schema up to date."""
    if revision == "head" and _at_newest(db):
        return
    from alembic import command

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


def create_new(db: Database) -> None:
    """An empty database given the newest schema straight from the models, stamped at the
    newest revision as Alembic would: the schema the migrations build (the test beside
    test_migrate's others compares the two table by table), without importing Alembic, Mako
    and Pygments (a fresh process's 0.3 s of CPU). For a new database only, such as the
    rehearsal's throw-away one, on SQLite; any other database is left to `upgrade`."""
    newest = newest_revision()
    with db.engine.connect() as connection:
        has_tables = bool(inspect(connection).get_table_names())
    if newest is None or has_tables or not db.is_sqlite:  # (the comparison is proven on SQLite)
        upgrade(db)
        return
    from storage.models import Base

    version = Table(  # Alembic's own version table, as `alembic upgrade` creates it
        "alembic_version",
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )
    with db.connection() as connection:
        Base.metadata.create_all(connection)
        version.create(connection)
        connection.execute(version.insert().values(version_num=newest))


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()
