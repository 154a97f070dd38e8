"""What import-linter cannot see: bot.blocks takes only slack_sdk's Block Kit models."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _slack_sdk_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return [name for name in found if name == "slack_sdk" or name.startswith("slack_sdk.")]


def test_block_builders_use_only_slack_sdk_models():
    offending = {
        str(path.relative_to(ROOT)): names
        for path in sorted((ROOT / "bot" / "blocks").rglob("*.py"))
        if (names := [n for n in _slack_sdk_imports(path) if not n.startswith("slack_sdk.models")])
    }
    assert offending == {}


def test_the_domains_subpackages_import_each_other_without_cycles():
    """Also for a subpackage the import-linter contract does not list yet."""
    import graphlib

    import grimp

    graph = grimp.build_graph("bot", include_external_packages=False)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        if "." not in module:
            continue
        package = ".".join(module.split(".")[:2])
        edges.setdefault(package, set())
        for imported in graph.find_modules_directly_imported_by(module):
            target = ".".join(imported.split(".")[:2])
            if "." in imported and target != package:
                edges[package].add(target)
    graphlib.TopologicalSorter(edges).prepare()  # raises CycleError naming the cycle
