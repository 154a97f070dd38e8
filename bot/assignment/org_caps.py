"""Seat caps per (group, organisation) and their graceful relaxation when infeasible."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.graph.python import min_cost_flow

Cell = tuple[str, str]  # (group key, organisation)
RELAX_TIERS = 16


@dataclass(slots=True)
class OrgCaps:
    """Free seats each organisation may still take per group, plus notes on relaxations."""

    free: dict[Cell, int]
    seat_cap: dict[Cell, int]
    raised: dict[Cell, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def compute_org_caps(
    *,
    share: float | None,
    group_max: Mapping[str, int],
    group_free: Mapping[str, int],
    pinned_counts: Mapping[Cell, int],
    org_counts: Mapping[str, int],
    demand: Mapping[Cell, int],
    to_place: int,
) -> OrgCaps:
    """Return per-cell free caps: ceil(share * max_size) minus pins, raised only if needed."""
    seat_cap: dict[Cell, int] = {}
    free: dict[Cell, int] = {}
    notes: list[str] = []
    orgs = set(org_counts) | {o for _, o in pinned_counts}
    for g, max_size in group_max.items():
        for o in orgs:
            cap = max_size if share is None else math.ceil(share * max_size)
            seat_cap[(g, o)] = cap
            free[(g, o)] = max(0, cap - pinned_counts.get((g, o), 0))
    if share is not None:
        for (g, o), n_pinned in sorted(pinned_counts.items()):
            cap = math.ceil(share * group_max[g])
            if n_pinned > cap:
                notes.append(f"Pins put {n_pinned} from {o} in {g}, above the cap of {cap}.")
    caps = OrgCaps(free=free, seat_cap=seat_cap, notes=notes)
    if share is None or to_place == 0:
        return caps
    if _fits(caps.free, group_free, org_counts, to_place):
        return caps
    raised = _relax(caps.free, group_free, org_counts, demand, to_place) or {}
    for cell, extra in sorted(raised.items()):
        caps.free[cell] += extra
        caps.raised[cell] = extra
    for o in sorted({o for _, o in raised}):
        cells = ", ".join(f"{g} (+{x})" for (g, oo), x in sorted(raised.items()) if oo == o)
        caps.notes.append(
            f"Organisation cap relaxed for {o}: {org_counts[o]} participants do not fit "
            f"under the cap of {share:.0%} of the seats; extra seats in {cells}."
        )
    return caps


def _fits(
    free: Mapping[Cell, int],
    group_free: Mapping[str, int],
    org_counts: Mapping[str, int],
    to_place: int,
) -> bool:
    """Whether to_place people fit under the hard caps (a max-flow feasibility check)."""
    return _relax(free, group_free, org_counts, {}, to_place, tiers=False) == {}


def _relax(
    free: Mapping[Cell, int],
    group_free: Mapping[str, int],
    org_counts: Mapping[str, int],
    demand: Mapping[Cell, int],
    to_place: int,
    *,
    tiers: bool = True,
) -> dict[Cell, int] | None:
    """Extra seats per cell at a convex cost (spread out, where the organisation wants to go)."""
    orgs = sorted(org_counts)
    groups = sorted(group_free)
    org_node = {o: i for i, o in enumerate(orgs)}
    group_node = {g: len(orgs) + j for j, g in enumerate(groups)}
    unplaced, sink = len(orgs) + len(groups), len(orgs) + len(groups) + 1
    total = sum(org_counts.values())
    flow = min_cost_flow.SimpleMinCostFlow()
    for o in orgs:
        flow.set_node_supply(org_node[o], org_counts[o])
        flow.add_arc_with_capacity_and_unit_cost(org_node[o], unplaced, org_counts[o], 0)
    flow.set_node_supply(sink, -total)
    flow.add_arc_with_capacity_and_unit_cost(unplaced, sink, total - to_place, 0)
    for g in groups:
        flow.add_arc_with_capacity_and_unit_cost(group_node[g], sink, group_free[g], 0)
    big = total + 1
    tier_unit = big * big
    extra_arcs: list[tuple[Cell, int]] = []
    for o in orgs:
        for g in groups:
            cell = (g, o)
            within = free.get(cell, 0)
            flow.add_arc_with_capacity_and_unit_cost(org_node[o], group_node[g], within, 0)
            room = min(org_counts[o], group_free[g]) - within if tiers else 0
            prefer = big - demand.get(cell, 0)
            for tier in range(1, min(room, RELAX_TIERS) + 1):
                arc = flow.add_arc_with_capacity_and_unit_cost(
                    org_node[o], group_node[g], 1, tier * tier_unit + prefer
                )
                extra_arcs.append((cell, arc))
            if room > RELAX_TIERS:
                arc = flow.add_arc_with_capacity_and_unit_cost(
                    org_node[o],
                    group_node[g],
                    room - RELAX_TIERS,
                    (RELAX_TIERS + 1) * tier_unit + prefer,
                )
                extra_arcs.append((cell, arc))
    if flow.solve() != flow.OPTIMAL:
        return None  # only without tiers: the hard caps do not fit
    raised: dict[Cell, int] = {}
    for cell, arc in extra_arcs:
        if flow.flow(arc):
            raised[cell] = raised.get(cell, 0) + flow.flow(arc)
    return raised
