"""The composition root builds each app's shared objects once and hands them out by Services."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.settings import Settings
from runtime.bootstrap import build_app
from storage.db import Database
from tests.conftest import ROOT


def _settings(db: Database) -> Settings:
    return Settings(_env_file=None, database_url=db.url, slack_bot_token="xoxb-test",  # type: ignore[call-arg]
                    slack_signing_secret="s", slack_api_url="http://127.0.0.1:9/api/")  # fmt: skip


def test_each_app_owns_its_client_runner_and_coordinator_check(db: Database) -> None:
    _app, first = build_app(_settings(db), db)
    _app, second = build_app(_settings(db), db)
    try:
        assert first.client is first.deliverer.client  # one Web client per app
        assert first.broadcasts.client is first.client
        assert first.broadcasts is not second.broadcasts
        assert first.coordinators is not second.coordinators
    finally:
        first.close()
        second.close()


def test_close_stops_the_broadcast_runner(db: Database) -> None:
    _app, services = build_app(_settings(db), db)
    services.close()
    assert services.broadcasts.stop_event.is_set()


def _module_level_registries(path: Path) -> list[str]:
    """Names bound at module level to an empty dict or set, filled at run time."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        value = getattr(node, "value", None)
        empty = (isinstance(value, ast.Dict) and not value.keys) or (
            isinstance(value, ast.Call) and getattr(value.func, "id", "") in {"dict", "set"}
        )
        if isinstance(node, ast.AnnAssign | ast.Assign) and empty:
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def test_no_module_level_registries_and_no_reach_into_the_deliverer() -> None:
    for package in ("workers", "handlers", "runtime"):
        for path in (ROOT / package).glob("*.py"):
            assert not _module_level_registries(path), path  # state lives in Services
            assert "deliverer.client" not in path.read_text(encoding="utf-8"), path
