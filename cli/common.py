"""Helpers shared by the subcommands: settings and a migrated database, with clear failures."""

from __future__ import annotations

import sys

from bot.settings import Settings, SettingsError, load_settings
from storage.db import Database
from storage.migrate import upgrade


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        print(f"Fel i inställningarna / configuration error:\n{exc}", file=sys.stderr)
        raise SystemExit(2) from None


def database(settings: Settings, *, migrate: bool = True) -> Database:
    db = Database(settings.database_url)
    if migrate:
        upgrade(db)
    return db


def no_such_event(slug: str) -> int:
    """Say on stderr that no event has this slug, and where to see those that exist; exit 1."""
    print(f"Inget evenemang heter '{slug}' / no such event. Se / see: python app.py event list",
          file=sys.stderr)  # fmt: skip
    return 1
