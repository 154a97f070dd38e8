"""First-come-first-served in a random order (random serial dictatorship), for comparison."""

from __future__ import annotations

import heapq
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
    roomiest = [(-seats, key) for key, seats in free.items()]
    heapq.heapify(roomiest)
    for pid in order:
        pick = next((g for g in people[pid].preferences if free.get(g, 0) > 0), None)
        while pick is None and roomiest and roomiest[0][0] < 0:
            seats, key = heapq.heappop(roomiest)
            heapq.heappush(roomiest, (-free[key], key))
            if -seats == free[key]:  # entries only go stale upwards: seats never come back
                pick = key
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
