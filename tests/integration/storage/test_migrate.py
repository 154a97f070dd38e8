"""Migrations at start: a database already at the newest revision is recognised without Alembic
(it costs an idle process ~9 MB); anything else still goes through Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.db import Database
from storage.migrate import alembic_config, create_new, newest_revision, upgrade

ROOT = Path(__file__).resolve().parents[3]
CHECK = """
import sys
from storage.db import Database
from storage.migrate import upgrade
upgrade(Database(sys.argv[1]))
print("alembic" in sys.modules)
"""
CREATE_NEW = CHECK.replace("upgrade", "create_new")


def test_the_newest_revision_read_from_the_scripts_is_alembics_head():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert [newest_revision()] == heads


def _alembic_imported_by_upgrade(url: str) -> bool:
    out = subprocess.run([sys.executable, "-c", CHECK, url], cwd=ROOT, capture_output=True,
                         text=True, check=True)  # fmt: skip
    return out.stdout.strip() == "True"


def test_alembic_runs_for_a_new_database_and_is_not_imported_once_it_is_current(tmp_path):
    url = f"sqlite:///{tmp_path / 'start.sqlite3'}"
    assert _alembic_imported_by_upgrade(url)  # a new database: migrated by Alembic
    assert not _alembic_imported_by_upgrade(url)  # at the newest revision: nothing to do


def test_pg_current_database_needs_no_alembic(pg_db):
    assert not _alembic_imported_by_upgrade(pg_db.url)


def _schema(db: Database) -> dict[str, dict[str, object]]:
    """Every table as the database describes it. Columns by name: the migrations append the
    columns they add, the models declare them where they belong, and nothing reads by position."""
    with db.engine.connect() as connection:
        found = inspect(connection)
        return {
            table: {
                "columns": sorted(
                    (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                    for c in found.get_columns(table)
                ),
                "primary key": found.get_pk_constraint(table),
                "foreign keys": sorted(map(repr, found.get_foreign_keys(table))),
                "indexes": sorted(map(repr, found.get_indexes(table))),
                "unique": sorted(map(repr, found.get_unique_constraints(table))),
                "checks": sorted(map(repr, found.get_check_constraints(table))),
                "rows": connection.execute(text(f'SELECT * FROM "{table}"')).all(),
            }
            for table in found.get_table_names()
        }


def test_a_new_database_built_from_the_models_is_the_migrated_one(tmp_path):
    """create_new (the rehearsal's throw-away database) gives what the migrations give,
    stamped at the same revision, and imports no Alembic."""
    migrated = Database(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    upgrade(migrated)
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    out = subprocess.run([sys.executable, "-c", CREATE_NEW, url], cwd=ROOT, capture_output=True,
                         text=True, check=True)  # fmt: skip
    assert out.stdout.strip() == "False"  # alembic not imported
    new = Database(url)
    try:
        assert _schema(new) == _schema(migrated)
        assert _schema(new)["alembic_version"]["rows"] == [(newest_revision(),)]
    finally:
        new.dispose()
        migrated.dispose()


def test_create_new_leaves_a_database_with_tables_to_the_migrations(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        with db.connection() as connection:
            connection.execute(text("CREATE TABLE something_else (id INTEGER)"))
        create_new(db)  # not created from the models over a database in use: Alembic migrates it
        assert _schema(db)["alembic_version"]["rows"] == [(newest_revision(),)]
        assert "something_else" in _schema(db)
    finally:
        db.dispose()
