"""An independent LP (SciPy HiGHS) over x[person, group], for checking the flow optimum."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from bot.assignment.models import AssignmentInput

RANK = {1: 1, 2: 4, 3: 9}
UNLISTED = 100


@dataclass(frozen=True)
class LpOptimum:
    """Optimal rank cost (pins in, unplaced out) and, given that, the fewest moves."""

    rank_cost: int
    moves: int


def person_cost(prefs: tuple[str, ...], group: str) -> int:
    """The documented rank cost, written out again independently of costs.py."""
    if not prefs:
        return 0
    return RANK[prefs.index(group) + 1] if group in prefs else UNLISTED


def lp_optimum(inp: AssignmentInput, *, org_caps: bool = True) -> LpOptimum | None:
    """Solve the LP relaxation; None when the hard organisation caps are infeasible."""
    people = [p for p in inp.participants if p.id not in inp.pinned]
    groups = [g.key for g in inp.groups]
    max_size = {g.key: g.max_size for g in inp.groups}
    pinned_in = {g: 0 for g in groups}
    pinned_cell: dict[tuple[str, str], int] = {}
    org_of = {p.id: p.organisation for p in inp.participants}
    for pid, g in inp.pinned.items():
        pinned_in[g] += 1
        cell = (g, org_of[pid])
        pinned_cell[cell] = pinned_cell.get(cell, 0) + 1
    free = {g: max(0, max_size[g] - pinned_in[g]) for g in groups}
    pinned_cost = sum(
        person_cost(p.preferences, inp.pinned[p.id]) for p in inp.participants if p.id in inp.pinned
    )
    n, m = len(people), len(groups)
    if n == 0:
        return LpOptimum(pinned_cost, 0)
    to_place = min(n, sum(free.values()))
    var = n * m
    cost = np.array([person_cost(p.preferences, g) for p in people for g in groups], float)
    moved = np.array(
        [float(p.id in inp.previous and inp.previous[p.id] != g) for p in people for g in groups]
    )
    rows_ub, b_ub = [], []
    for j, g in enumerate(groups):
        rows_ub.append([i * m + j for i in range(n)])
        b_ub.append(free[g])
    if org_caps and inp.org_cap_share is not None:
        for org in sorted({p.organisation for p in people}):
            members = [i for i, p in enumerate(people) if p.organisation == org]
            for j, g in enumerate(groups):
                cap = math.ceil(inp.org_cap_share * max_size[g]) - pinned_cell.get((g, org), 0)
                rows_ub.append([i * m + j for i in members])
                b_ub.append(max(cap, 0))
    for i in range(n):
        rows_ub.append([i * m + j for j in range(m)])
        b_ub.append(1)
    a_ub = _matrix(rows_ub, var)
    # One LP, rank first then moves: both constraint families are laminar, so the matrix is
    # totally unimodular and the LP optimum is integral.
    weight = n + 1
    res = linprog(
        cost * weight + moved,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=np.ones((1, var)),
        b_eq=[to_place],
        method="highs",
    )
    if res.status != 0:
        return None
    total = round(res.fun)
    return LpOptimum(rank_cost=pinned_cost + total // weight, moves=total % weight)


def _matrix(rows: list[list[int]], width: int):
    """Build a sparse 0/1 constraint matrix from the column lists of each row."""
    mat = lil_matrix((len(rows), width))
    for r, cols in enumerate(rows):
        for c in cols:
            mat[r, c] = 1.0
    return mat.tocsr()


@dataclass(frozen=True)
class CappedOptimum:
    """The fewest seats above the organisation caps, and the rank cost optimal given those."""

    extra_seats: int
    rank_cost: int


def lp_raised_caps_optimum(inp: AssignmentInput) -> CappedOptimum:
    """An LP over x[person, group] and s[group, org] >= 0 (seats above a cap): minimise the
    extra seats first, then the rank cost (a weight above any rank difference)."""
    assert inp.org_cap_share is not None
    people = [p for p in inp.participants if p.id not in inp.pinned]
    groups = [g.key for g in inp.groups]
    max_size = {g.key: g.max_size for g in inp.groups}
    org_of = {p.id: p.organisation for p in inp.participants}
    pinned_in = {g: 0 for g in groups}
    pinned_cell: dict[tuple[str, str], int] = {}
    for pid, g in inp.pinned.items():
        pinned_in[g] += 1
        pinned_cell[(g, org_of[pid])] = pinned_cell.get((g, org_of[pid]), 0) + 1
    pinned_cost = sum(
        person_cost(p.preferences, inp.pinned[p.id]) for p in inp.participants if p.id in inp.pinned
    )
    free = {g: max(0, max_size[g] - pinned_in[g]) for g in groups}
    orgs = sorted({p.organisation for p in people})
    n, m = len(people), len(groups)
    if n == 0:
        return CappedOptimum(0, pinned_cost)
    cells = [(g, o) for g in groups for o in orgs]
    var = n * m + len(cells)
    weight = UNLISTED * n + 1
    cost = [person_cost(p.preferences, g) for p in people for g in groups]
    cost += [weight] * len(cells)
    mat = lil_matrix((m + len(cells) + n, var))
    b_ub: list[float] = []
    row = 0
    for j, g in enumerate(groups):
        for i in range(n):
            mat[row, i * m + j] = 1.0
        b_ub.append(free[g])
        row += 1
    for k, (g, o) in enumerate(cells):
        j = groups.index(g)
        for i, p in enumerate(people):
            if p.organisation == o:
                mat[row, i * m + j] = 1.0
        mat[row, n * m + k] = -1.0
        cap = math.ceil(inp.org_cap_share * max_size[g]) - pinned_cell.get((g, o), 0)
        b_ub.append(max(cap, 0))
        row += 1
    for i in range(n):
        for j in range(m):
            mat[row, i * m + j] = 1.0
        b_ub.append(1)
        row += 1
    a_eq = np.zeros((1, var))
    a_eq[0, : n * m] = 1.0
    res = linprog(np.asarray(cost, float), A_ub=mat.tocsr(), b_ub=b_ub, A_eq=a_eq,
                  b_eq=[min(n, sum(free.values()))], method="highs")  # fmt: skip
    assert res.status == 0, res.message
    total = round(res.fun)
    return CappedOptimum(extra_seats=total // weight, rank_cost=pinned_cost + total % weight)
