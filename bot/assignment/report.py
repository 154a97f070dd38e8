"""The quality report coordinators see before publishing an assignment."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.assignment.costs import rank_cost
from bot.assignment.messages import explain
from bot.assignment.minimums import MinimumShortfall, find_shortfalls
from bot.assignment.models import AssignmentInput, Participant, Placement

__all__ = ["GroupStats", "QualityReport", "UNLISTED_RANK", "blau", "build_report", "explain"]

UNLISTED_RANK = 4  # worst_rank value meaning "placed outside the person's list"


@dataclass(frozen=True, slots=True)
class GroupStats:
    """Size against the band and the organisation mix of one group."""

    key: str
    name: str
    size: int
    min_size: int
    max_size: int
    org_counts: dict[str, int]
    blau: float
    relative_blau: float | None
    largest_org_share: float


@dataclass(slots=True)
class QualityReport:
    """Figures on one assignment; shares are over participants who listed a preference."""

    n: int
    n_placed: int
    rank_cost: int
    share_first: float
    share_any_listed: float
    rank_profile: dict[str, int]
    worst_rank: int
    groups: list[GroupStats]
    size_spread: int
    event_blau: float
    min_relative_blau: float | None
    under_minimum: list[MinimumShortfall]
    outside_choices: list[str]
    no_preference: list[str]
    unplaced: list[str]
    moved: int
    notes: list[str] = field(default_factory=list)
    baseline: QualityReport | None = None


def blau(counts: Mapping[str, int]) -> float:
    """Blau's diversity index 1 - sum(p_i^2); 0 for an empty or single-organisation group."""
    total = sum(counts.values())
    if total == 0:
        return 0.0
    return 1.0 - sum((c / total) ** 2 for c in counts.values())


def build_report(
    inp: AssignmentInput,
    placements: Mapping[str, Placement],
    unplaced: Sequence[str],
    notes: Sequence[str],
) -> QualityReport:
    """Compute every figure of the report from the placements."""
    people = {p.id: p for p in inp.participants}
    listing = [p for p in inp.participants if p.preferences]
    profile = {"1": 0, "2": 0, "3": 0, "unlisted": 0}
    for p in listing:
        pl = placements.get(p.id)
        if pl is not None:
            profile[str(pl.rank) if pl.rank else "unlisted"] += 1
    worst = max(
        (
            pl.rank or UNLISTED_RANK
            for pl in placements.values()
            if people[pl.participant_id].preferences
        ),
        default=0,
    )
    members: dict[str, list[Participant]] = {}
    for pl in placements.values():
        members.setdefault(pl.group_key, []).append(people[pl.participant_id])
    event_blau = blau(Counter(people[pid].organisation for pid in placements))
    stats = [
        _group_stats(g.key, g.name, g.min_size, g.max_size, members, event_blau) for g in inp.groups
    ]
    relatives = [s.relative_blau for s in stats if s.size and s.relative_blau is not None]
    sizes = [s.size for s in stats]
    return QualityReport(
        n=len(people),
        n_placed=len(placements),
        rank_cost=sum(
            rank_cost(pl.rank, bool(people[pid].preferences)) for pid, pl in placements.items()
        ),
        share_first=profile["1"] / len(listing) if listing else 1.0,
        share_any_listed=(profile["1"] + profile["2"] + profile["3"]) / len(listing)
        if listing
        else 1.0,
        rank_profile=profile,
        worst_rank=worst,
        groups=stats,
        size_spread=max(sizes) - min(sizes) if sizes else 0,
        event_blau=event_blau,
        min_relative_blau=min(relatives) if relatives else None,
        under_minimum=find_shortfalls(inp.groups, members),
        outside_choices=sorted(
            pid for pid, pl in placements.items() if pl.rank is None and people[pid].preferences
        ),
        no_preference=sorted(p.id for p in inp.participants if not p.preferences),
        unplaced=list(unplaced),
        moved=sum(
            1
            for pid, g in inp.previous.items()
            if pid in people and (pid not in placements or placements[pid].group_key != g)
        ),
        notes=list(notes),
    )


def _group_stats(
    key: str,
    name: str,
    min_size: int,
    max_size: int,
    members: Mapping[str, list[Participant]],
    event_blau: float,
) -> GroupStats:
    """Size and organisation mix of one group."""
    counts = Counter(p.organisation for p in members.get(key, []))
    size = sum(counts.values())
    index = blau(counts)
    return GroupStats(
        key=key,
        name=name,
        size=size,
        min_size=min_size,
        max_size=max_size,
        org_counts=dict(sorted(counts.items())),
        blau=index,
        relative_blau=index / event_blau if event_blau > 0 else None,
        largest_org_share=max(counts.values()) / size if size else 0.0,
    )
