"""First-come-first-served in a random order (random serial dictatorship), for comparison."""

from __future__ import annotations

import random

from bot.assignment.models import AssignmentInput, AssignmentResult, Placement
from bot.assignment.reasons import placement_for
from bot.assignment.report import build_report


def first_come_first_served(inp: AssignmentInput, order_seed: int) -> AssignmentResult:
    """Each person in a seeded random order takes their best listed group with room.

    Like today's tools it ignores organisation caps; pins are placed first. People whose
    choices are full (or who listed none) go to the group with the most free seats.
    """
    people = {p.id: p for p in inp.participants}
    free = {g.key: g.max_size for g in inp.groups}
    chosen: dict[str, str | None] = {}
    for pid, g in inp.pinned.items():
        if pid in people:
            chosen[pid] = g
            free[g] -= 1
    order = sorted(pid for pid in people if pid not in chosen)
    random.Random(order_seed).shuffle(order)
    for pid in order:
        pick = next((g for g in people[pid].preferences if free.get(g, 0) > 0), None)
        if pick is None:
            roomiest = max(sorted(free), key=lambda k: free[k], default=None)
            pick = roomiest if roomiest is not None and free[roomiest] > 0 else None
        chosen[pid] = pick
        if pick is not None:
            free[pick] -= 1
    placements: dict[str, Placement] = {
        pid: placement_for(people[pid], g, pid in inp.pinned, set())
        for pid, g in sorted(chosen.items())
        if g is not None
    }
    unplaced = sorted(pid for pid, g in chosen.items() if g is None)
    report = build_report(inp, placements, unplaced, [])
    return AssignmentResult(placements=placements, unplaced=unplaced, report=report)
