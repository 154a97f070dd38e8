"""app.py turns the garbage collector off while it imports; every command runs with it on."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from cli import main as cli_main

ROOT = Path(__file__).resolve().parents[3]


def test_a_command_runs_with_the_collector_on(monkeypatch):
    seen: list[bool] = []

    def add(subparsers) -> None:
        subparsers.add_parser("probe").set_defaults(func=lambda _: seen.append(gc.isenabled()))

    monkeypatch.setattr(cli_main, "COMMANDS", [add])
    monkeypatch.setattr(cli_main, "_optional_commands", lambda: None)
    gc.disable()
    try:
        assert cli_main.main(["probe"]) == 0
    finally:
        gc.enable()
    assert seen == [True]


def test_app_py_imports_with_the_collector_off():
    probe = "import runpy, gc; runpy.run_path('app.py'); print(gc.isenabled())"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == "False"  # (as a module, not __main__: main() not called)
