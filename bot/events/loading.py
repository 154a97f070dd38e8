"""Read an event file: YAML to EventDefinition, with errors that name the field and the line.

Every scalar is read as text (YAML's BaseLoader), so `10:10` stays a time and is never turned into
the sexagesimal number 610, and `no` stays a string; pydantic does the typing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.events.schema import EventDefinition
from bot.events.schema_base import LocatedError

_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with an event file."""

    field: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f" (rad/line {self.line})" if self.line else ""
        return f"{self.field}{where}: {self.message}"


class EventFileError(Exception):
    """The event file is not valid; `problems` says where and why."""

    def __init__(self, source: str, problems: list[FieldProblem]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}:\n" + "\n".join(f"  - {p}" for p in problems))


class _DuplicateKey(Exception):
    def __init__(self, problem: FieldProblem):
        self.problem = problem


def _to_python(node: yaml.Node, path: tuple[Any, ...] = ()) -> Any:
    if isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _to_python(key_node)
            if key in mapping:  # YAML says keys are unique; a second one silently wins otherwise
                field = ".".join(str(p) for p in (*path, key))
                line = key_node.start_mark.line + 1
                raise _DuplicateKey(FieldProblem(field, line, "duplicate key (given twice)"))
            mapping[key] = _to_python(value_node, (*path, key))
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(v, (*path, i)) for i, v in enumerate(node.value)]
    if isinstance(node, yaml.ScalarNode) and node.style is None and node.value in _NULLS:
        return None
    return node.value


def _line_of(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest key (or list item) on the path loc that exists."""
    node, line = root, None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    if line is None and root is not None:
        line = root.start_mark.line + 1
    return line


def parse_event(text: str, source: str = "<text>") -> EventDefinition:
    """Parse and validate an event definition from YAML text."""
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise EventFileError(
            source, [FieldProblem("YAML", line, str(exc).splitlines()[0])]
        ) from None
    try:
        data = _to_python(root) if root is not None else None
    except _DuplicateKey as duplicate:
        raise EventFileError(source, [duplicate.problem]) from None
    if not isinstance(data, dict):
        raise EventFileError(source, [FieldProblem("(file)", 1, "expected a mapping of fields")])
    try:
        return EventDefinition.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not str(p).startswith("function-after"))
            cause = err.get("ctx", {}).get("error")
            if isinstance(cause, LocatedError):
                loc = (*loc, *cause.loc)
            field = ".".join(str(p) for p in loc) or "(event)"
            message = err["msg"].removeprefix("Value error, ")
            problems.append(FieldProblem(field, _line_of(root, loc), message))
        raise EventFileError(source, problems) from None


def load_event_file(path: str | Path) -> EventDefinition:
    """Read and validate an event file from disk."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problem = FieldProblem("(file)", None, exc.strerror or str(exc))
        raise EventFileError(str(path), [problem]) from None
    return parse_event(text, str(path))
