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
