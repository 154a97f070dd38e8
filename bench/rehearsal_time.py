"""How long the README's first command takes: the rehearsal of the sample event, on an idle
machine and on a busy one (issue 9: under 10 s on a busy 2-core machine).

    python bench/rehearsal_time.py [--runs 3] [--busy 0,1,2] [--all-cores]

"Busy" is made here, not waited for: `--busy 1,2` starts that many processes that each keep one
CPU core fully busy (a tight Python loop) for the length of the runs, as a test suite or a second
app would. Each run is the whole command as a user types it (`python app.py rehearse
examples/partnerskapsdag-skelleftea-2021.yaml --out DIR`, a fresh process: imports included),
timed from start to exit, beside the duration the rehearsal reports itself. The command keeps
its threads on one core (runtime/affinity.py); `--all-cores` adds, in each row, runs of the same
command with `--all-cores` (its threads spread over every core), alternating with the others.

Machines differ: the same invocation first times a fixed pure-Python workload (the best of five
runs in a fresh interpreter, on an idle machine) and prints it with the results, so figures
measured on two machines can be compared (a machine twice as slow per core shows twice the
calibration seconds).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "partnerskapsdag-skelleftea-2021.yaml"
BUDGET_S = 10.0
# A fixed, single-threaded pure-Python workload: integer arithmetic, a dict and a sort, the kind
# of work the rehearsal's interpreter does. Its seconds are the machine's per-core speed.
CALIBRATION = """
import time
best = float("inf")
for _ in range(5):
    started = time.perf_counter()
    table = {}
    for i in range(400_000):
        table[i % 1009] = table.get(i % 1009, 0) + (i * 7919) % 104729
    sorted(str(v) for v in table.values() for _ in range(200))
    best = min(best, time.perf_counter() - started)
print(best)
"""
HOG = "import signal, sys; signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))\nwhile True: pass"


@contextmanager
def busy(cores: int):
    """`cores` processes, each keeping one core busy until the block ends."""
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(cores)]
    try:
        time.sleep(0.5 if hogs else 0.0)  # let them reach the scheduler's run queue
        yield
    finally:
        for hog in hogs:
            hog.terminate()
        for hog in hogs:
            hog.wait()


def one_run(*extra: str) -> tuple[float, float | None, float]:
    """(wall seconds of the command, the duration it reports, CPU seconds it used)."""
    with tempfile.TemporaryDirectory() as out:
        before = os.times()
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "app.py", "rehearse", str(EXAMPLE), "--out", out, *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - started
        after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    found = re.search(r"repetitionen tog ([0-9.]+) s", done.stdout)
    return wall, float(found.group(1)) if found else None, cpu


def calibration_s() -> float:
    """Seconds of the fixed pure-Python workload on this machine (best of five, fresh process)."""
    done = subprocess.run(
        [sys.executable, "-c", CALIBRATION], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--busy", default="0,1,2", help="busy cores to add, comma-separated")
    parser.add_argument(
        "--all-cores", action="store_true", help="also run the command with --all-cores"
    )
    args = parser.parse_args()
    variants = {"one core": ()} | ({"all cores": ("--all-cores",)} if args.all_cores else {})
    print(
        f"Rehearsal of {EXAMPLE.name}: {args.runs} runs per row, {os.cpu_count()} CPUs, "
        f"budget {BUDGET_S:.0f} s for the whole command; machine calibration "
        f"{calibration_s():.3f} s (a fixed pure-Python workload, idle, best of 5)\n"
    )
    print("| busy cores added | threads on | load average (1 min) after | command s (each run) "
          "| reported s | CPU s | within budget |")  # fmt: skip
    print("|---:|---|---:|---|---|---|---|")
    for cores in [int(c) for c in args.busy.split(",")]:
        with busy(cores):
            runs: dict[str, list[tuple[float, float | None, float]]] = {v: [] for v in variants}
            for _ in range(args.runs):  # alternating: a change of the machine's pace hits both
                for variant, extra in variants.items():
                    runs[variant].append(one_run(*extra))
            load = os.getloadavg()[0]
        for variant, done in runs.items():
            walls = " / ".join(f"{w:.1f}" for w, _, _ in done)
            reported = " / ".join(f"{r:.1f}" if r is not None else "?" for _, r, _ in done)
            cpus = " / ".join(f"{c:.1f}" for _, _, c in done)
            within = sum(1 for w, _, _ in done if w <= BUDGET_S)
            print(f"| {cores} | {variant} | {load:.2f} | {walls} | {reported} | {cpus} "
                  f"| {within} of {len(done)} |")  # fmt: skip


if __name__ == "__main__":
    main()
