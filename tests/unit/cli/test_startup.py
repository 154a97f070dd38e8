"""Starting a command: the garbage collector is off while app.py imports and on for every
command; no heavy library a command may not need is loaded at start."""

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


def test_starting_loads_no_heavy_library_a_command_may_not_need():
    """OR-Tools and numpy (assigning), python-docx, lxml and Pillow (the documentation) are
    imported by what uses them, not by every command's start (`serve` idles without them)."""
    probe = (
        "import runpy, sys; runpy.run_path('app.py'); import cli.main; "
        "cli.main.build_parser(); "
        "print(sorted(m for m in ('ortools', 'numpy', 'docx', 'lxml', 'PIL') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == "[]"
