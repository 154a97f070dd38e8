"""Every file the packages ship that is not Python (fonts, migration templates) is declared in
pyproject's package-data, so an installed wheel has it as an editable checkout does."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_data_file_in_a_package_is_declared():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    declared = config["package-data"]
    packages = {p.rstrip("*") for p in config["packages"]["find"]["include"] if "*" in p}
    undeclared = []
    for top in packages:
        for path in (ROOT / top).rglob("*"):
            if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            relative = path.relative_to(ROOT)
            owners = [  # the package-data entries of the packages that hold the file
                (package, patterns) for package, patterns in declared.items()
                if relative.is_relative_to(Path(*package.split(".")))
            ]  # fmt: skip
            if not any(
                fnmatch.fnmatch(str(relative.relative_to(Path(*package.split(".")))), pattern)
                for package, patterns in owners
                for pattern in patterns
            ):
                undeclared.append(str(relative))
    assert undeclared == []
    assert any(p.name.endswith(".ttf") for p in (ROOT / "bot/workshop/fonts").iterdir())
