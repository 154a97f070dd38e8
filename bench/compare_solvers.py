"""Why OR-Tools: time the same assignment (no org caps) with other exact solvers.

Run: /work/venv/bin/python bench/compare_solvers.py
SciPy's linear_sum_assignment needs one column per seat (a dense n x seats matrix).
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lp_flow import RANK, UNLISTED, lp_rank_optimum  # noqa: E402
from synthetic import make_event  # noqa: E402

from bot.assignment import assign  # noqa: E402

CASES = ((2_000, 20, 15), (5_000, 50, 30), (20_000, 200, 60))
TIME_LIMIT = 120.0
MAX_MATRIX_BYTES = 1 * 2**30  # a shared machine: do not risk the OOM killer


def _seat_matrix_cost(n: int, g: int, orgs: int) -> float:
    """Exact optimum via SciPy's Hungarian-type solver on a person x seat cost matrix."""
    from scipy.optimize import linear_sum_assignment

    inp = make_event(n, g, n_orgs=orgs, seed=1, org_cap_share=None)
    col_group = np.repeat(np.arange(g), [grp.max_size for grp in inp.groups])
    cost = np.empty((n, len(col_group)), dtype=np.float64)
    for i, p in enumerate(inp.participants):
        row = np.full(g, float(UNLISTED if p.preferences else 0))
        for r, key in enumerate(p.preferences):
            row[int(key[1:])] = RANK[r]
        cost[i] = row[col_group]
    rows, cols = linear_sum_assignment(cost)
    return float(cost[rows, cols].sum())


def _job(kind: str, n: int, g: int, orgs: int, out: mp.Queue) -> None:
    """Time one solver in a fresh process."""
    inp = dataclasses.replace(make_event(n, g, n_orgs=orgs, seed=1), org_cap_share=None)
    start = time.perf_counter()
    if kind == "OR-Tools min-cost flow (assign)":
        cost = float(assign(inp).report.rank_cost)
    elif kind == "SciPy HiGHS LP":
        cost = lp_rank_optimum(inp, TIME_LIMIT)
    else:
        cost = _seat_matrix_cost(n, g, orgs)
    out.put((time.perf_counter() - start, cost))


def main() -> None:
    """Print one markdown row per solver and instance."""
    print("| instance (caps off) | solver | wall time s | optimal rank cost |")
    print("|---|---|---|---|")
    kinds = ("OR-Tools min-cost flow (assign)", "SciPy HiGHS LP", "SciPy linear_sum_assignment")
    ctx = mp.get_context("spawn")
    for n, g, orgs in CASES:
        for kind in kinds:
            if kind == kinds[2] and n * n * 1.1 * 8 > MAX_MATRIX_BYTES:
                gb = n * n * 1.1 * 8 / 2**30
                print(f"| {n:,} x {g} | {kind} | not run: {gb:.1f} GB cost matrix | - |")
                continue
            out = ctx.Queue()
            proc = ctx.Process(target=_job, args=(kind, n, g, orgs, out))
            proc.start()
            try:
                wall, cost = out.get(timeout=TIME_LIMIT)
                shown = f"{wall:.3f} | {cost:.0f}"
            except Exception:  # timed out or ran out of memory
                shown = f"> {TIME_LIMIT:.0f} (stopped) | -"
            proc.terminate()
            proc.join()
            print(f"| {n:,} x {g} | {kind} | {shown} |")


if __name__ == "__main__":
    main()
