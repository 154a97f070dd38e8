"""Benchmark: our min-cost flow vs FCFS (random serial order) vs an independent HiGHS LP.

Run: /work/venv/bin/python bench/bench_assignment.py [--quick]
Every measurement runs in a fresh spawned process with a hard time limit, so peak memory is
that process's own and a slow method cannot stall the bench.
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lp_flow import lp_rank_optimum  # noqa: E402
from synthetic import make_event  # noqa: E402

from bot.assignment import AssignmentInput, assign, first_come_first_served  # noqa: E402

SIZES = (("500 x 6", 500, 6, 8), ("5,000 x 50", 5_000, 50, 30), ("20,000 x 200", 20_000, 200, 60))
METHODS = ("flow (ours, caps on)", "flow, caps off", "FCFS random order", "LP HiGHS (caps on)")
LP_TIME_LIMIT = 120.0
JOB_TIME_LIMIT = 180.0
BENCH_BUDGET = 420.0  # the whole bench stops starting work after 7 minutes
_DEADLINE = time.monotonic() + BENCH_BUDGET
REPEATS = 3
SEED = 1
LATE = 200


def _rss_mb() -> float:
    """Current resident set size in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, repeats: int) -> tuple[object, list[float]]:
    """Run fn repeatedly; return the last result and all wall times."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, times


def _figures(report) -> dict:
    """The quality figures of one report."""
    p = report.rank_profile
    return {
        "first": report.share_first,
        "listed": report.share_any_listed,
        "profile": f"{p['1']}/{p['2']}/{p['3']}/{p['unlisted']}",
        "worst": "unl." if report.worst_rank == 4 else str(report.worst_rank),
        "spread": report.size_spread,
        "under_min": len(report.under_minimum),
        "blau": report.min_relative_blau,
        "cost": report.rank_cost,
        "notes": len(report.notes),
    }


def _job(kind: str, n: int, g: int, orgs: int, out: mp.Queue) -> None:
    """Measure one method on one instance inside a fresh process."""
    inp = make_event(n, g, n_orgs=orgs, seed=SEED)
    base_rss = _rss_mb()
    if kind == METHODS[0]:
        res, times = _timed(lambda: assign(inp), REPEATS)
        row = _figures(res.report)
    elif kind == METHODS[1]:
        off = dataclasses.replace(inp, org_cap_share=None)
        res, times = _timed(lambda: assign(off), REPEATS)
        row = _figures(res.report)
    elif kind == METHODS[2]:
        res, times = _timed(lambda: first_come_first_served(inp, order_seed=SEED), REPEATS)
        row = _figures(res.report)
    elif kind == METHODS[3]:
        cost, times = _timed(lambda: lp_rank_optimum(inp, LP_TIME_LIMIT), 1)
        row = {"cost": cost}
    else:
        row, times = _late_registration(inp), [0.0]
    row["time"] = min(times)
    row["time_median"] = statistics.median(times)
    row["mem"] = max(0.0, _peak_mb() - base_rss)
    out.put(row)


def _late_registration(inp: AssignmentInput) -> dict:
    """Place all but LATE people, then add them: re-solve with and without `previous`."""
    early = dataclasses.replace(inp, participants=inp.participants[:-LATE])
    previous = {pid: pl.group_key for pid, pl in assign(early).placements.items()}
    start = time.perf_counter()
    stable = assign(dataclasses.replace(inp, previous=previous))
    stable_time = time.perf_counter() - start
    plain = assign(inp)
    frozen = assign(dataclasses.replace(inp, pinned=previous))
    moved_plain = sum(1 for pid, g in previous.items() if plain.placements[pid].group_key != g)
    return {
        "moved_stable": stable.report.moved,
        "moved_plain": moved_plain,
        "cost_stable": stable.report.rank_cost,
        "cost_plain": plain.report.rank_cost,
        "stable_time": stable_time,
        "cost_frozen": frozen.report.rank_cost,
    }


def run(kind: str, n: int, g: int, orgs: int) -> dict | None:
    """Run one job in a spawned process; None if it hit the time limit or failed."""
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_job, args=(kind, n, g, orgs, out))
    proc.start()
    try:
        return out.get(timeout=max(1.0, min(JOB_TIME_LIMIT, _DEADLINE - time.monotonic())))
    except Exception:  # queue.Empty on timeout, or the child died
        return None
    finally:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.terminate()


def _fmt(x, spec: str) -> str:
    """Format a number or show a dash."""
    return "-" if x is None else format(x, spec)


def main() -> None:
    """Print the comparison table and the late-registration scenario as markdown."""
    sizes = SIZES[:2] if "--quick" in sys.argv else SIZES
    print(
        "| instance | method | time s (best/median of 3) | peak RSS growth MB | 1st choice "
        "| any listed | ranks 1/2/3/unlisted | worst | size spread | groups < min "
        "| min rel. Blau | rank cost | / LP optimum |"
    )
    print("|" + "---|" * 13)
    for label, n, g, orgs in sizes:
        rows = {kind: run(kind, n, g, orgs) for kind in METHODS}
        lp = (rows[METHODS[3]] or {}).get("cost")
        for kind, row in rows.items():
            if row is None:
                print(f"| {label} | {kind} | time limit or failure |" + " |" * 10)
                continue
            ratio = row["cost"] / lp if lp and row.get("cost") is not None else None
            print(
                f"| {label} | {kind} | {row['time']:.3f} / {row['time_median']:.3f} "
                f"| {row['mem']:.0f} | {_fmt(row.get('first'), '.3f')} "
                f"| {_fmt(row.get('listed'), '.3f')} | {row.get('profile', '-')} "
                f"| {row.get('worst', '-')} | {row.get('spread', '-')} "
                f"| {row.get('under_min', '-')} "
                f"| {_fmt(row.get('blau'), '.2f')} | {_fmt(row.get('cost'), '.0f')} "
                f"| {_fmt(ratio, '.3f')} |"
            )
    label, n, g, orgs = sizes[-1]
    late = run("late", n, g, orgs)
    print()
    print(f"Late registration on {label}: {n - LATE:,} placed, {LATE} join.")
    print()
    print("| re-run | moved already-placed people | rank cost | time s |")
    print("|---|---|---|---|")
    if late is None:
        print("| time limit | | | |")
        return
    print(f"| with stability tie-break | {late['moved_stable']} | {late['cost_stable']} "
          f"| {late['stable_time']:.3f} |")  # fmt: skip
    print(f"| plain re-solve (no previous) | {late['moved_plain']} | {late['cost_plain']} | |")
    print(f"| freeze everyone placed (pins) | 0 | {late['cost_frozen']} | |")


if __name__ == "__main__":
    main()
