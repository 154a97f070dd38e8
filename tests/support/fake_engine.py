"""A stand-in for bot.assignment (written on another branch): enough of its interface for the
breakouts service to draft, move and publish in these tests. Pins win, then first choices."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Participant:
    id: str
    organisation: str
    preferences: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    min_size: int
    max_size: int


@dataclass
class AssignmentInput:
    participants: list[Participant]
    groups: list[Group]
    org_cap_share: float | None
    seed: int
    previous: dict[str, str] = field(default_factory=dict)
    pinned: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Placement:
    participant_id: str
    group_key: str
    rank: int | None
    reason: str


@dataclass
class AssignmentResult:
    placements: dict[str, Placement]
    report: dict


def assign(data: AssignmentInput) -> AssignmentResult:
    placements = {}
    for p in data.participants:
        key = data.pinned.get(p.id) or data.previous.get(p.id) or p.preferences[0]
        rank = p.preferences.index(key) + 1 if key in p.preferences else None
        placements[p.id] = Placement(p.id, key, rank, "pinned" if p.id in data.pinned else "choice")
    return AssignmentResult(placements, {"fake": True})


def install(monkeypatch) -> None:  # noqa: ANN001
    """Make `import bot.assignment` work when the real engine is not on this branch."""
    try:
        import bot.assignment  # noqa: F401
    except ModuleNotFoundError:
        module = types.ModuleType("bot.assignment")
        for name in ("Participant", "Group", "AssignmentInput", "Placement", "AssignmentResult",
                     "assign"):  # fmt: skip
            setattr(module, name, globals()[name])
        monkeypatch.setitem(sys.modules, "bot.assignment", module)
        sys.modules.pop("bot.breakouts.service", None)
