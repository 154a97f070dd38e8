"""`python app.py db upgrade`: apply the migrations."""

from __future__ import annotations

import argparse

from cli.common import database, settings_or_exit
from storage.migrate import current_revision


def _upgrade(_args: argparse.Namespace) -> int:
    db = database(settings_or_exit())
    print(f"Databasen är uppdaterad (revision {current_revision(db)}).")
    return 0


def add(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="database maintenance")
    sub = parser.add_subparsers(dest="db_command", required=True)
    sub.add_parser("upgrade", help="apply migrations").set_defaults(func=_upgrade)
