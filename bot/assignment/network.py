"""The min-cost flow network: participants -> (group, organisation) -> group -> sink."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from bot.assignment.costs import RANK_COSTS, UNLISTED_COST, CostScale, noise_step, rank_cost
from bot.assignment.models import Participant
from bot.assignment.org_caps import Cell


@dataclass(frozen=True, slots=True)
class FlowProblem:
    """Free (unpinned) participants and the seats left for them."""

    participants: Sequence[Participant]  # sorted by id; preferences only name known groups
    group_free: Mapping[str, int]
    group_min_free: Mapping[str, int]  # seats still needed to reach each group's minimum
    cell_free: Mapping[Cell, int] | None  # None: no organisation caps, one cell per group
    previous: Mapping[str, str]
    seed: int
    unplaced: int
    over_cap: bool = False  # the caps cannot hold everyone: allow extra seats at a steep cost


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


@dataclass(frozen=True, slots=True)
class _Nodes:
    """Node ids: people first, then (group, org) cells, org fallbacks, groups, unplaced, sink."""

    cell: dict[Cell, int]
    fallback: dict[str, int]
    group: dict[str, int]
    unplaced: int
    sink: int

    @classmethod
    def layout(cls, n_people: int, groups: Sequence[str], orgs: Sequence[str]) -> _Nodes:
        cells = [(g, o) for g in groups for o in orgs]
        cell = {c: n_people + k for k, c in enumerate(cells)}
        base = n_people + len(cells)
        fallback = {o: base + k for k, o in enumerate(orgs)}
        group = {g: base + len(orgs) + j for j, g in enumerate(groups)}
        unplaced = base + len(orgs) + len(groups)
        return cls(cell, fallback, group, unplaced, unplaced + 1)


def over_cap_unit(scale: CostScale, n_people: int) -> int:
    """The cost of one seat above an organisation cap: more than the whole rest of the
    objective can differ by (every person's rank, move and lottery cost), so the flow first
    uses as few extra seats as possible and, among those, finds the rank optimum."""
    return (UNLISTED_COST + 1) * scale.rank_unit * (n_people + 1)


def solve_flow(problem: FlowProblem) -> dict[str, str | None]:
    """Return participant id -> group key (None if unplaced) minimising the scaled cost."""
    return solve_flow_raising(problem)[0]


def solve_flow_raising(problem: FlowProblem) -> tuple[dict[str, str | None], dict[Cell, int]]:
    """The placements, and the extra seats per (group, organisation) the flow had to use."""
    people = problem.participants
    groups = sorted(problem.group_free)
    orgs = sorted({_org(p, problem) for p in people})
    nodes = _Nodes.layout(len(people), groups, orgs)
    previous = {p.id: problem.previous[p.id] for p in people if p.id in problem.previous}
    over_cap = problem.over_cap and problem.cell_free is not None
    headroom = (UNLISTED_COST + 1) * (len(people) + 1) if over_cap else 1
    scale = CostScale.for_size(len(people), len(previous), nodes.sink + 1, headroom=headroom)
    weight = lottery_weights([p.id for p in people], problem.seed, scale.lottery_max)
    arcs = _Arcs()
    choice_arcs, fallback_arcs = _participant_arcs(arcs, problem, nodes, scale, previous, weight)
    rng = random.Random(problem.seed)
    spread_arcs: list[tuple[int, Cell]] = []
    for o in orgs:
        for g in groups:
            noise = rng.randrange(scale.lottery_max) if scale.lottery_max else 0
            arc = arcs.add(nodes.fallback[o], nodes.cell[(g, o)], len(people), noise)
            spread_arcs.append((arc, (g, o)))
    over_arcs: list[tuple[int, Cell]] = []
    over_unit = over_cap_unit(scale, len(people)) if over_cap else 0
    for (g, o), node in nodes.cell.items():
        cap = problem.group_free[g] if problem.cell_free is None else problem.cell_free[(g, o)]
        arcs.add(node, nodes.group[g], cap, 0)
        if over_cap and problem.group_free[g] > cap:  # parallel: seats above the cap
            over_arcs.append((arcs.add(node, nodes.group[g], problem.group_free[g] - cap,
                                       over_unit), (g, o)))  # fmt: skip
    for g in groups:
        # Ties go to filling groups up to their minimum: seats beyond it cost one lottery step.
        to_min = min(problem.group_min_free.get(g, 0), problem.group_free[g])
        arcs.add(nodes.group[g], nodes.sink, to_min, 0)
        arcs.add(nodes.group[g], nodes.sink, problem.group_free[g] - to_min, scale.lottery_max)
    arcs.add(nodes.unplaced, nodes.sink, problem.unplaced, 0)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.asarray(arcs.tails, dtype=np.int32),
        np.asarray(arcs.heads, dtype=np.int32),
        np.asarray(arcs.caps, dtype=np.int64),
        np.asarray(arcs.costs, dtype=np.int64),
    )
    supplies = np.zeros(nodes.sink + 1, dtype=np.int64)
    supplies[: len(people)] = 1
    supplies[nodes.sink] = -len(people)
    flow.set_nodes_supplies(np.arange(nodes.sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    raised: dict[Cell, int] = {}
    if over_arcs:
        used = flow.flows(np.asarray([a for a, _ in over_arcs], dtype=np.int32))
        raised = {cell: int(f) for (_, cell), f in zip(over_arcs, used, strict=True) if f}
    chosen = _read_solution(flow, problem, choice_arcs, fallback_arcs, spread_arcs, weight)
    return chosen, raised


def _org(p: Participant, problem: FlowProblem) -> str:
    """The organisation layer a person enters; one shared layer when there are no caps."""
    return "" if problem.cell_free is None else p.organisation


def _participant_arcs(
    arcs: _Arcs,
    problem: FlowProblem,
    nodes: _Nodes,
    scale: CostScale,
    previous: Mapping[str, str],
    weight: Mapping[str, int],
) -> tuple[list[tuple[int, str]], list[int]]:
    """Add each person's arcs: listed choices, previous group, fallback, unplaced."""
    choice_arcs: list[tuple[int, str]] = []  # (arc, group) for arcs straight into a cell
    fallback_arcs: list[int] = []
    unit, move = scale.rank_unit, scale.move_unit
    listed_cost = {r: c * unit for r, c in RANK_COSTS.items()}
    cell = nodes.cell
    add_tail, add_head = arcs.tails.append, arcs.heads.append  # hot loop: skip method calls
    add_cap, add_cost = arcs.caps.append, arcs.costs.append
    for i, p in enumerate(problem.participants):
        w = weight.get(p.id, 0)
        prev = previous.get(p.id)
        org = _org(p, problem)
        for rank, g in enumerate(p.preferences, start=1):
            choice_arcs.append((len(arcs.tails), g))
            add_tail(i)
            add_head(cell[(g, org)])
            add_cap(1)
            add_cost(listed_cost[rank] + (prev is not None and g != prev) * move + (rank - 1) * w)
        outside = rank_cost(None, bool(p.preferences)) * unit
        outside += noise_step(None, bool(p.preferences)) * w
        if prev is not None and prev in problem.group_free and prev not in p.preferences:
            choice_arcs.append((arcs.add(i, cell[(prev, org)], 1, outside), prev))
        moved = (prev is not None) * move
        fallback_arcs.append(arcs.add(i, nodes.fallback[org], 1, outside + moved))
        if problem.unplaced:
            arcs.add(i, nodes.unplaced, 1, UNLISTED_COST * unit + moved)
    return choice_arcs, fallback_arcs


def _read_solution(
    flow: min_cost_flow.SimpleMinCostFlow,
    problem: FlowProblem,
    choice_arcs: list[tuple[int, str]],
    fallback_arcs: list[int],
    spread_arcs: list[tuple[int, Cell]],
    weight: Mapping[str, int],
) -> dict[str, str | None]:
    """Map arc flows back to participants; fallback seats go out in lottery order."""
    people = problem.participants
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
        result[p.id] = seats[_org(p, problem)].pop()
    return result
