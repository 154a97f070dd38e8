"""Input and output data of the breakout-group assignment engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.assignment.report import QualityReport

MAX_PREFERENCES = 3


@dataclass(frozen=True, slots=True)
class Participant:
    """A registered person with 0-3 distinct group keys in rank order."""

    id: str
    organisation: str
    preferences: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.preferences) > MAX_PREFERENCES:
            raise ValueError(f"{self.id}: at most {MAX_PREFERENCES} preferences")
        if len(set(self.preferences)) != len(self.preferences):
            raise ValueError(f"{self.id}: preferences must be distinct")

    def rank_of(self, group_key: str) -> int | None:
        """Return the 1-based rank of a group in this participant's list, or None."""
        try:
            return self.preferences.index(group_key) + 1
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class Group:
    """A discussion group with a size band [min_size, max_size]."""

    key: str
    name: str
    min_size: int = field(default=0, kw_only=True)
    max_size: int = field(kw_only=True)

    def __post_init__(self) -> None:
        if not 0 <= self.min_size <= self.max_size:
            raise ValueError(f"{self.key}: need 0 <= min_size <= max_size")


@dataclass(frozen=True, slots=True)
class AssignmentInput:
    """Everything the solver needs for one event."""

    participants: Sequence[Participant]  # stored as a tuple
    groups: Sequence[Group]  # stored as a tuple
    org_cap_share: float | None = None
    seed: int = 0
    previous: Mapping[str, str] = field(default_factory=dict)
    pinned: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "participants", tuple(self.participants))
        object.__setattr__(self, "groups", tuple(self.groups))
        ids = [p.id for p in self.participants]
        if len(set(ids)) != len(ids):
            raise ValueError("participant ids must be unique")
        keys = [g.key for g in self.groups]
        if len(set(keys)) != len(keys):
            raise ValueError("group keys must be unique")
        unknown = sorted(set(self.pinned.values()) - set(keys))
        if unknown:
            raise ValueError(f"pinned to unknown groups: {unknown}")
        if self.org_cap_share is not None and not 0 < self.org_cap_share <= 1:
            raise ValueError("org_cap_share must be in (0, 1]")


class Reason(StrEnum):
    """Why a participant ended up in their group (machine code for explain())."""

    FIRST_CHOICE = "FIRST_CHOICE"
    SECOND_CHOICE_FIRST_FULL = "SECOND_CHOICE_FIRST_FULL"
    SECOND_CHOICE_ORG_CAP = "SECOND_CHOICE_ORG_CAP"
    THIRD_CHOICE_EARLIER_FULL = "THIRD_CHOICE_EARLIER_FULL"
    THIRD_CHOICE_ORG_CAP = "THIRD_CHOICE_ORG_CAP"
    CHOICES_FULL = "CHOICES_FULL"
    NO_PREFERENCE = "NO_PREFERENCE"
    PINNED = "PINNED"


@dataclass(frozen=True, slots=True)
class Placement:
    """One participant's group; rank is 1-3, or None when outside their list."""

    participant_id: str
    group_key: str
    rank: int | None
    reason: Reason


@dataclass(frozen=True, slots=True)
class AssignmentResult:
    """The placements, who could not be placed (capacity short) and the quality report."""

    placements: dict[str, Placement]
    unplaced: list[str]
    report: QualityReport
