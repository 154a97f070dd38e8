"""Seat caps per (group, organisation) and their graceful relaxation when infeasible."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

Cell = tuple[str, str]  # (group key, organisation)
MAX_LISTED_GROUPS = 6  # longer lists of raised groups are summarised in the note


@dataclass(slots=True)
class OrgCaps:
    """Free seats each organisation may still take per group, plus notes on relaxations."""

    free: dict[Cell, int]
    seat_cap: dict[Cell, int]
    raised: dict[Cell, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    fits: bool = True  # False: the flow itself raises caps (over-cap arcs, see network.py)


def compute_org_caps(
    *,
    share: float | None,
    group_max: Mapping[str, int],
    group_free: Mapping[str, int],
    pinned_counts: Mapping[Cell, int],
    org_counts: Mapping[str, int],
    to_place: int,
) -> OrgCaps:
    """Return per-cell free caps: ceil(share * max_size) minus pins, and whether everyone fits
    under them. When they do not, the caps are raised inside the assignment's one optimisation
    (network.py), so no placement with at most as many extra seats has a lower rank cost."""
    seat_cap: dict[Cell, int] = {}
    free: dict[Cell, int] = {}
    notes: list[str] = []
    if share is None:
        return OrgCaps(free=free, seat_cap=seat_cap)
    orgs = set(org_counts) | {o for _, o in pinned_counts}
    for g, max_size in group_max.items():
        for o in orgs:
            cap = math.ceil(share * max_size)
            seat_cap[(g, o)] = cap
            free[(g, o)] = max(0, cap - pinned_counts.get((g, o), 0))
    for (g, o), n_pinned in sorted(pinned_counts.items()):
        if n_pinned > seat_cap[(g, o)]:
            notes.append(
                f"Pins put {n_pinned} from {o} in {g}, above the cap of {seat_cap[(g, o)]}."
            )
    caps = OrgCaps(free=free, seat_cap=seat_cap, notes=notes)
    caps.fits = to_place == 0 or _fits(caps.free, group_free, org_counts, to_place)
    return caps


def note_raised(
    caps: OrgCaps, raised: Mapping[Cell, int], org_counts: Mapping[str, int], share: float
) -> None:
    """Record the extra seats the flow used, and say where, per organisation."""
    for cell, extra in sorted(raised.items()):
        caps.raised[cell] = extra
    for o in sorted({o for _, o in raised}):
        per_group = {g: x for (g, oo), x in sorted(raised.items()) if oo == o}
        if len(per_group) <= MAX_LISTED_GROUPS:
            where = ", ".join(f"{g} (+{x})" for g, x in per_group.items())
        else:
            low, high = min(per_group.values()), max(per_group.values())
            where = f"{len(per_group)} groups (+{low} to +{high} each)"
        caps.notes.append(
            f"Organisation cap relaxed for {o}: {org_counts[o]} participants do not fit "
            f"under the cap of {share:.0%} of the seats; extra seats in {where}."
        )


def _fits(
    free: Mapping[Cell, int],
    group_free: Mapping[str, int],
    org_counts: Mapping[str, int],
    to_place: int,
) -> bool:
    """Whether to_place people fit under the hard caps (a max-flow feasibility check)."""
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
    tails = [org_node[o] for o in orgs for g in groups]
    heads = [group_node[g] for o in orgs for g in groups]
    caps = [free.get((g, o), 0) for o in orgs for g in groups]
    if tails:
        flow.add_arcs_with_capacity_and_unit_cost(
            np.asarray(tails, dtype=np.int32),
            np.asarray(heads, dtype=np.int32),
            np.asarray(caps, dtype=np.int64),
            np.zeros(len(tails), dtype=np.int64),
        )
    return flow.solve() == flow.OPTIMAL
