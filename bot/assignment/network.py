"""The min-cost flow network: participants -> (group, organisation) -> group -> sink."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from bot.assignment.costs import UNLISTED_COST, CostScale, noise_step, rank_cost
from bot.assignment.models import Participant
from bot.assignment.org_caps import Cell


@dataclass(frozen=True, slots=True)
class FlowProblem:
    """Free (unpinned) participants and the seats left for them."""

    participants: Sequence[Participant]  # sorted by id; preferences only name known groups
    group_free: Mapping[str, int]
    cell_free: Mapping[Cell, int]
    previous: Mapping[str, str]
    seed: int
    unplaced: int


class _Arcs:
    """Column buffers for OR-Tools' vectorised arc insertion."""

    def __init__(self) -> None:
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[int] = []
        self.costs: list[int] = []

    def add(self, tail: int, head: int, cap: int, cost: int) -> int:
        self.tails.append(tail)
        self.heads.append(head)
        self.caps.append(cap)
        self.costs.append(cost)
        return len(self.tails) - 1


def lottery_weights(ids: Sequence[str], seed: int, top: int) -> dict[str, int]:
    """Seeded lottery over ids sorted by id: earlier draw -> higher weight in [1, top]."""
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    n = max(len(order), 1)
    return {pid: top - (pos * top) // n for pos, pid in enumerate(order)} if top else {}


def solve_flow(problem: FlowProblem) -> dict[str, str | None]:
    """Return participant id -> group key (None if unplaced) minimising the scaled cost."""
    people = problem.participants
    groups = sorted(problem.group_free)
    orgs = sorted({p.organisation for p in people})
    n_people = len(people)
    cell_node: dict[Cell, int] = {}
    for g in groups:
        for o in orgs:
            cell_node[(g, o)] = n_people + len(cell_node)
    fallback_node = {o: n_people + len(cell_node) + i for i, o in enumerate(orgs)}
    group_node = {g: n_people + len(cell_node) + len(orgs) + j for j, g in enumerate(groups)}
    unplaced_node = n_people + len(cell_node) + len(orgs) + len(groups)
    sink = unplaced_node + 1
    previous = {p.id: problem.previous[p.id] for p in people if p.id in problem.previous}
    scale = CostScale.for_size(n_people, len(previous), sink + 1)
    weight = lottery_weights([p.id for p in people], problem.seed, scale.lottery_max)
    rng = random.Random(problem.seed)
    arcs = _Arcs()
    choice_arcs: list[tuple[int, str]] = []  # (arc, group) per participant arc into a cell
    fallback_arcs: list[int] = []
    for i, p in enumerate(people):
        w = weight.get(p.id, 0)
        prev = previous.get(p.id)
        listed = bool(p.preferences)

        for rank, g in enumerate(p.preferences, start=1):
            c = _arc_cost(scale, rank, listed, prev is not None and g != prev, w)
            choice_arcs.append((arcs.add(i, cell_node[(g, p.organisation)], 1, c), g))
        if prev in problem.group_free and prev not in p.preferences:
            c = _arc_cost(scale, None, listed, False, w)
            choice_arcs.append((arcs.add(i, cell_node[(prev, p.organisation)], 1, c), prev))
        c = _arc_cost(scale, None, listed, prev is not None, w)
        fallback_arcs.append(arcs.add(i, fallback_node[p.organisation], 1, c))
        if problem.unplaced:
            moved = (prev is not None) * scale.move_unit
            arcs.add(i, unplaced_node, 1, UNLISTED_COST * scale.rank_unit + moved)
    spread_arcs: list[tuple[int, Cell]] = []
    for o in orgs:
        for g in groups:
            noise = rng.randrange(scale.lottery_max) if scale.lottery_max else 0
            spread_arcs.append(
                (arcs.add(fallback_node[o], cell_node[(g, o)], n_people, noise), (g, o))
            )
    for (g, o), node in cell_node.items():
        arcs.add(node, group_node[g], problem.cell_free.get((g, o), 0), 0)
    for g in groups:
        arcs.add(group_node[g], sink, problem.group_free[g], 0)
    arcs.add(unplaced_node, sink, problem.unplaced, 0)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.asarray(arcs.tails, dtype=np.int32),
        np.asarray(arcs.heads, dtype=np.int32),
        np.asarray(arcs.caps, dtype=np.int64),
        np.asarray(arcs.costs, dtype=np.int64),
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_people] = 1
    supplies[sink] = -n_people
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    return _read_solution(flow, people, choice_arcs, fallback_arcs, spread_arcs, weight)


def _arc_cost(scale: CostScale, rank: int | None, listed: bool, moved: bool, weight: int) -> int:
    """Scaled cost of one participant arc: rank, then a move, then the lottery."""
    return (
        rank_cost(rank, listed) * scale.rank_unit
        + moved * scale.move_unit
        + noise_step(rank, listed) * weight
    )


def _read_solution(
    flow: min_cost_flow.SimpleMinCostFlow,
    people: Sequence[Participant],
    choice_arcs: list[tuple[int, str]],
    fallback_arcs: list[int],
    spread_arcs: list[tuple[int, Cell]],
    weight: Mapping[str, int],
) -> dict[str, str | None]:
    """Map arc flows back to participants; fallback seats go out in lottery order."""
    result: dict[str, str | None] = {p.id: None for p in people}
    flows = flow.flows(np.asarray([a for a, _ in choice_arcs], dtype=np.int32))
    for (arc, g), f in zip(choice_arcs, flows, strict=True):
        if f:
            result[people[flow.tail(arc)].id] = g
    seats: dict[str, list[str]] = {}
    spread_flows = flow.flows(np.asarray([a for a, _ in spread_arcs], dtype=np.int32))
    for (_, (g, o)), f in zip(spread_arcs, spread_flows, strict=True):
        seats.setdefault(o, []).extend([g] * int(f))
    fb_flows = flow.flows(np.asarray(fallback_arcs, dtype=np.int32))
    waiting = [people[i] for i, f in enumerate(fb_flows) if f]
    waiting.sort(key=lambda p: (-weight.get(p.id, 0), p.id))
    for p in waiting:
        result[p.id] = seats[p.organisation].pop()
    return result
