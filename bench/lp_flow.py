"""An independent optimum: the flow LP solved by SciPy's HiGHS (written apart from the solver)."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from bot.assignment import AssignmentInput

RANK = (1, 4, 9)
UNLISTED = 100


def lp_rank_optimum(inp: AssignmentInput, time_limit: float) -> float | None:
    """Minimum total rank cost under capacity and organisation caps; None if not solved.

    Variables: x[i, g] for each listed choice, y[i] for "placed outside the list" and
    f[o, g] for the outside placements of organisation o in group g. Assumes seats for all.
    """
    people = inp.participants
    groups = [g.key for g in inp.groups]
    gidx = {g: j for j, g in enumerate(groups)}
    orgs = sorted({p.organisation for p in people})
    oidx = {o: k for k, o in enumerate(orgs)}
    n, m, q = len(people), len(groups), len(orgs)
    cost: list[float] = []
    eq_r: list[int] = []  # rows 0..n-1: each person once; n..n+q-1: org balance y - f = 0
    eq_c: list[int] = []
    eq_v: list[float] = []
    ub_r: list[int] = []  # rows: (org, group) cells, then groups
    ub_c: list[int] = []
    col = 0
    for i, p in enumerate(people):
        for r, g in enumerate(p.preferences):
            cost.append(RANK[r])
            eq_r.append(i)
            eq_c.append(col)
            eq_v.append(1.0)
            ub_r += [oidx[p.organisation] * m + gidx[g], q * m + gidx[g]]
            ub_c += [col, col]
            col += 1
        cost.append(UNLISTED if p.preferences else 0)
        eq_r += [i, n + oidx[p.organisation]]
        eq_c += [col, col]
        eq_v += [1.0, 1.0]
        col += 1
    for k in range(q):
        for j in range(m):
            cost.append(0.0)
            eq_r.append(n + k)
            eq_c.append(col)
            eq_v.append(-1.0)
            ub_r += [k * m + j, q * m + j]
            ub_c += [col, col]
            col += 1
    a_eq = coo_matrix((eq_v, (eq_r, eq_c)), shape=(n + q, col)).tocsr()
    b_eq = np.concatenate([np.ones(n), np.zeros(q)])
    a_ub = coo_matrix((np.ones(len(ub_r)), (ub_r, ub_c)), shape=(q * m + m, col)).tocsr()
    share = inp.org_cap_share
    caps = [
        math.ceil(share * g.max_size) if share is not None else g.max_size
        for _ in orgs
        for g in inp.groups
    ]
    b_ub = np.array(caps + [g.max_size for g in inp.groups], dtype=float)
    res = linprog(
        np.array(cost),
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=(0, None),
        method="highs",
        options={"time_limit": time_limit},
    )
    return float(res.fun) if res.status == 0 else None
