"""Migrations at start: a database already at the newest revision is recognised without Alembic
(it costs an idle process ~9 MB); anything else still goes through Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from storage.migrate import alembic_config, newest_revision

ROOT = Path(__file__).resolve().parents[3]
CHECK = """
import sys
from storage.db import Database
from storage.migrate import upgrade
upgrade(Database(sys.argv[1]))
print("alembic" in sys.modules)
"""


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
