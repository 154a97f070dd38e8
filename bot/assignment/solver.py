"""Optimal, explainable breakout-group assignment as a min-cost flow (OR-Tools).

Objective (minimised, strictly lexicographic through integer scaling, see costs.py):

1. Rank cost: 1, 4, 9 for a 1st, 2nd, 3rd choice (rank squared), 100 for a group the person
   did not list, 0 for a person with no preference (any group is as good). Optimal for this
   cost also means Pareto-optimal for the participants' ranks.
2. Stability: +1 move unit for each person placed somewhere else than in ``previous``. The rank
   unit exceeds the largest possible total of moves, so this never changes the rank optimum.
3. Lottery: a seeded random order of the participants (ids sorted, then shuffled with
   ``random.Random(seed)``) gives each person a weight; a placement at rank r adds
   (r - 1) * weight. Among equally good assignments the earlier lottery number keeps the better
   choice. Registration order plays no part. Same input and seed -> same output. At the same
   level, each seat beyond a group's minimum costs one lottery step, so people who can go
   anywhere at equal cost (no preference, or all choices full) fill groups up to their minimum.

Hard constraints: group capacity (pinned people count toward it and never move); at most
ceil(org_cap_share * max_size) seats per organisation and group. When the caps cannot hold
everyone, they are raised inside the same flow: parallel over-cap arcs whose cost per extra
seat exceeds any difference the rest of the objective can make, so the fewest extra seats are
used and, among placements with that many, the rank cost is optimal; the report says where.
Group minimums are not forced: groups short of their minimum are reported with a merge or
cancel suggestion (minimums.py). People are left unplaced only if the seats run out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.assignment.baseline import first_come_first_served
from bot.assignment.models import AssignmentInput, AssignmentResult, Participant, Placement
from bot.assignment.network import FlowProblem, solve_flow_raising
from bot.assignment.org_caps import compute_org_caps, note_raised
from bot.assignment.reasons import placement_for
from bot.assignment.report import build_report


def assign(inp: AssignmentInput) -> AssignmentResult:
    """Return the rank-optimal, org-mixed, stable assignment with its quality report."""
    group_keys = {g.key for g in inp.groups}
    people = {p.id: p for p in inp.participants}
    notes = _unknown_preference_notes(inp.participants, group_keys)
    pinned = {pid: g for pid, g in inp.pinned.items() if pid in people}
    if len(pinned) < len(inp.pinned):
        gone = ", ".join(sorted(set(inp.pinned) - set(people)))
        notes.append(f"Pins for people no longer registered ignored: {gone}.")
    free_people = [
        _known_only(people[pid], group_keys) for pid in sorted(people) if pid not in pinned
    ]

    pins_per_group = Counter(pinned.values())
    group_max = {g.key: g.max_size for g in inp.groups}
    group_free = {k: max(0, m - pins_per_group[k]) for k, m in group_max.items()}
    for k, m in group_max.items():
        if pins_per_group[k] > m:
            notes.append(f"Pins put {pins_per_group[k]} people in {k}, above its maximum of {m}.")
    unplaced_count = max(0, len(free_people) - sum(group_free.values()))
    caps = compute_org_caps(
        share=inp.org_cap_share,
        group_max=group_max,
        group_free=group_free,
        pinned_counts=Counter((g, people[pid].organisation) for pid, g in pinned.items()),
        org_counts=Counter(p.organisation for p in free_people),
        to_place=len(free_people) - unplaced_count,
    )
    notes.extend(caps.notes)
    notes_before = list(caps.notes)
    chosen: dict[str, str | None] = {}
    if free_people:
        chosen, raised = solve_flow_raising(
            FlowProblem(
                participants=free_people,
                group_free=group_free,
                group_min_free={
                    g.key: max(0, g.min_size - pins_per_group[g.key]) for g in inp.groups
                },
                cell_free=None if inp.org_cap_share is None else caps.free,
                previous=inp.previous,
                seed=inp.seed,
                unplaced=unplaced_count,
                over_cap=not caps.fits,
            )
        )
        if raised and inp.org_cap_share is not None:
            org_counts = Counter(p.organisation for p in free_people)
            note_raised(caps, raised, org_counts, inp.org_cap_share)
            notes.extend(caps.notes[len(notes_before) :])
    chosen.update(pinned)
    placements = _placements(inp, chosen, pinned, caps.seat_cap, caps.raised)
    unplaced = sorted(pid for pid, g in chosen.items() if g is None)
    if unplaced:
        notes.append(f"{len(unplaced)} participants could not be placed: not enough seats.")
    report = build_report(inp, placements, unplaced, notes)
    baseline = first_come_first_served(inp, order_seed=inp.seed)
    report.baseline = baseline.report
    return AssignmentResult(placements=placements, unplaced=unplaced, report=report)


def _placements(
    inp: AssignmentInput,
    chosen: dict[str, str | None],
    pinned: dict[str, str],
    seat_cap: dict[tuple[str, str], int],
    raised: dict[tuple[str, str], int],
) -> dict[str, Placement]:
    """Turn the chosen groups into placements with their reasons."""
    people = {p.id: p for p in inp.participants}
    cells = Counter((g, people[pid].organisation) for pid, g in chosen.items() if g is not None)
    capped = (
        set()
        if inp.org_cap_share is None
        else {c for c, n in cells.items() if n >= seat_cap[c] + raised.get(c, 0)}
    )
    return {
        pid: placement_for(people[pid], g, pid in pinned, capped)
        for pid, g in sorted(chosen.items())
        if g is not None
    }


def _known_only(p: Participant, group_keys: set[str]) -> Participant:
    """Drop preferences for groups that no longer exist."""
    kept = tuple(g for g in p.preferences if g in group_keys)
    return p if kept == p.preferences else Participant(p.id, p.organisation, kept)


def _unknown_preference_notes(people: Sequence[Participant], group_keys: set[str]) -> list[str]:
    """Note preferences that name unknown groups (they are ignored)."""
    unknown = sorted({g for p in people for g in p.preferences} - group_keys)
    return [f"Preferences for unknown groups ignored: {', '.join(unknown)}."] if unknown else []
