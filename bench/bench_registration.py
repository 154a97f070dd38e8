"""The deadline rush as people live it: /anmal, the modal, submit, the DM; bot beside a bare app.

    /work/main/.venv/bin/python bench/bench_registration.py [--people 150 --concurrency 50]
        [--seats 20] [--threads 8] [--rounds 3] [--pg URL | --skip-postgres]

Each of N people sends a signed `/anmal` over HTTP, waits until their modal arrives at the Slack
stand-in (views.open), submits it (a signed view_submission built from that very view) and waits
for their DM (chat.postMessage); `--concurrency` people are in flight at a time. The load
generator and the Slack stand-in run together in a child process; the app runs in this process,
served by the real server (runtime/server.py: waitress, `--threads` threads), so this process's
CPU time is the app's. The baseline is a bare Bolt app on the same server and thread count that
opens a small modal on the command and sends one DM on submit. Both run in the same invocation,
on SQLite and on PostgreSQL (`--pg URL` or TEST_DATABASE_URL; skipped with a line if unreachable).

A rush of 150 people lasts about a second, and this machine's speed moves from one second to
the next: `--rounds` runs the whole set that many times back to back (the bare app first in odd
rounds, last in even ones), prints each round's table, then every bot against the bare app of its
own round: the medians (and ranges) over the rounds, and the verdict on the medians.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.rush_apps import (  # noqa: E402
    COUNTS_ENV,
    COUNTS_EVERY_S,
    DEFAULT_PG,
    EXAMPLE,
    SqlCounter,
    bare_app,
    bot_app,
    check_database,
    child_counts,
    postgres_reachable,
    postgres_url,
    prepare,
    process_cpu_s,
    server_cpu_s,
    sqlite_url,
    thread_cpu,
)
from bench.rush_people import loadgen  # noqa: E402
from bench.rush_report import Row, summary, table, verdict  # noqa: E402
from bot.events.loading import load_event_file  # noqa: E402
from bot.events.schema import EventDefinition  # noqa: E402
from bot.settings import Settings  # noqa: E402

WARMUP = 8  # people who open the form and submit it without consent: inline errors, no writes


@contextmanager
def sampled(output: str | None) -> Iterator[None]:
    """Sample this process with py-spy (on PATH) into output (collapsed stacks) meanwhile."""
    if not output:
        yield
        return
    import shutil
    import signal
    import subprocess

    spy = shutil.which("py-spy")
    if spy is None:
        raise SystemExit("--profile needs py-spy on PATH: .venv/bin/pip install py-spy")
    command = [spy, "record", "--pid", str(os.getpid()), "--format", "raw", "-r", "200"]
    recorder = subprocess.Popen(
        [*command, "--nonblocking", *os.environ.get("PY_SPY_FLAGS", "--idle").split(), "-o", output]
    )
    time.sleep(1.0)  # let it attach
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(60)


# ----- one scenario -----


def measure(services: Any, counter: SqlCounter | None) -> dict[str, Any]:
    """CPU seconds (in all and by thread), SQL statements and commits so far, of the app's
    process and of its inbox process if it has one (its threads named "inbox process: ...")."""
    time.sleep(3 * COUNTS_EVERY_S)  # the inbox process's latest counts are written
    statements, commits = counter.snapshot() if counter else (0, 0)
    figures = {"cpu": time.process_time(), "threads": thread_cpu(), "statements": statements,
               "commits": commits, "server": server_cpu_s()}  # fmt: skip
    pid = getattr(services.inbox, "pid", None) if services else None
    if pid is not None:
        child = child_counts()
        counting = child["threads"].pop("counts", 0.0)  # the benchmark's, not the app's
        figures["cpu"] += process_cpu_s(pid) - counting
        figures["statements"] += child["statements"]
        figures["commits"] += child["commits"]
        figures["threads"].update(
            {f"inbox process: {name}": used for name, used in child["threads"].items()}
        )
    return figures


def run_scenario(
    name: str,
    url: str | None,
    definition: EventDefinition,
    args: argparse.Namespace,
    inbox_process: bool = False,
) -> Row:
    from runtime.serve import SWITCH_INTERVAL_S
    from runtime.server import HttpServer

    # the GIL switch interval is the process's (runtime/serve.py sets it for `serve`): every app
    # measured here gets the same, set explicitly before it starts
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    with loadgen() as (api_url, people):
        if url is None:
            app, services = bare_app(api_url, args.threads)
        else:
            prepare(url, definition)
            counts = Path(tempfile.mkdtemp(prefix="rush-")) / "counts.json"
            os.environ[COUNTS_ENV] = str(counts)  # this scenario's inbox process writes here
            app, services = bot_app(url, api_url, args.threads, inbox_process)
        if hasattr(services, "inbox") and hasattr(services.inbox, "wait_ready"):
            # as a running `serve` is: its inbox process started
            assert services.inbox.wait_ready(120), "the inbox process did not start"
        server = HttpServer(app, threads=args.threads).start()
        counter = SqlCounter(services.db.engine) if services else None
        try:
            warm = [f"UWARM{n:04d}" for n in range(WARMUP)]
            people.send(("run", server.url, warm, WARMUP, False))
            people.recv()
            users = [f"U{n:08d}" for n in range(args.people)]
            before = measure(services, counter)
            profile = args.profile and f"{args.profile}-{name.replace(', ', '-').replace(' ', '-')}"
            with sampled(profile and f"{profile.lower()}.txt"):
                people.send(("run", server.url, users, args.concurrency, True))
                outcome = people.recv()
            after = measure(services, counter)
            child = getattr(services.inbox, "pid", None) if services else None
            rss = rss_mib(os.getpid()) + (rss_mib(child) if child else 0.0)
        finally:
            server.stop()
            if services is not None:
                services.close()
                services.db.dispose()
    results = outcome["results"]
    cpu_ms = (after["cpu"] - before["cpu"]) * 1000
    row = Row(name, args.people, cpu_ms=cpu_ms, calls=outcome["methods"], rss_mib=rss)
    threads_before = before["threads"]
    row.thread_ms = {
        thread: (used - threads_before.get(thread, 0.0)) * 1000 / args.people
        for thread, used in sorted(after["threads"].items(), key=lambda kv: -kv[1])
        if used - threads_before.get(thread, 0.0) > 0
    }
    if _local_postgres(url) and None not in (before["server"], after["server"]):
        # the whole local server's processes: only this scenario uses the server meanwhile
        row.server_ms = (after["server"] - before["server"]) * 1000 / args.people
    row.seconds = outcome["last_told"] - outcome["began"]
    row.anmal_ms = [r["anmal_ms"] for r in results]
    row.submit_ms = [r["submit_ms"] for r in results if "submit_ms" in r]
    row.modal_ms = [r["modal_ms"] for r in results if "modal_ms" in r]
    row.dm_ms = [r["dm_ms"] for r in results if "dm_ms" in r]
    last_ack = max(r.get("submit_done", 0.0) for r in results)
    row.told_after_s = max(0.0, outcome["last_told"] - last_ack)
    row.lost = sum(1 for n in outcome["dms"].values() if n == 0)
    row.duplicated = sum(n - 1 for n in outcome["dms"].values() if n > 1)
    if counter:
        row.statements = (after["statements"] - before["statements"]) / args.people
        row.transactions = (after["commits"] - before["commits"]) / args.people
    errors = Counter(r.get("error") for r in results if r.get("error"))
    bad = Counter(
        (r.get("anmal_status"), r.get("submit_status"))
        for r in results
        if (r.get("anmal_status"), r.get("submit_status")) != (200, 200)
    )
    row.problems += [f"{n}x {e}" for e, n in errors.items()]
    row.problems += [f"{n}x HTTP {s}" for s, n in bad.items()]
    if url is not None:
        row.problems += check_database(url, definition.slug, results, args.seats)
    return row


def _local_postgres(url: str | None) -> bool:
    """A PostgreSQL database on this machine (its server's CPU can be read from /proc)."""
    from sqlalchemy.engine import make_url

    if url is None or url.startswith("sqlite"):
        return False
    return make_url(url).host in (None, "", "localhost", "127.0.0.1", "::1")


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seats", type=int, default=20, help="seats left; the rest wait")
    parser.add_argument("--threads", type=int, default=8, help="waitress and listener threads")
    parser.add_argument(
        "--pg",
        default=os.environ.get("TEST_DATABASE_URL", DEFAULT_PG),
        help="PostgreSQL admin URL; a throw-away database is made beside it",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--rounds", type=_positive, default=3, help="the whole set, back to back")
    parser.add_argument("--profile", metavar="PREFIX", help="py-spy samples: PREFIX-<db>.txt")
    args = parser.parse_args()

    import logging

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a backlog is expected here
    example = load_event_file(EXAMPLE)
    registration = example.registration.model_copy(update={"seat_limit": args.seats})
    definition = example.model_copy(update={"registration": registration})

    served_in_two = Settings(_env_file=None).inbox_process  # type: ignore[call-arg]
    # the bot as `serve` runs it on this machine (its inbox in a process of its own when there is
    # more than one core: runtime/inbox_process.py), and with everything in one process
    layouts = [(True, ""), (False, ", one process")] if served_in_two else [(False, "")]
    skipped = "skipped (--skip-postgres)" if args.skip_postgres else postgres_reachable(args.pg)
    databases = [("SQLite", "sqlite")] + ([("PostgreSQL", "postgresql")] if skipped is None else [])
    order: list[tuple[str, str | None, bool]] = [("bare Bolt", None, False)] + [
        (f"bot, {shown}{label}", database, inbox_process)
        for shown, database in databases
        for inbox_process, label in layouts
    ]
    rounds = []
    for number in range(1, args.rounds + 1):
        # the bare app first in odd rounds, last in even ones: a drift within a round then
        # favours neither side in the medians
        measured = {}
        for name, database, inbox_process in order if number % 2 else [*order[1:], order[0]]:
            if database is None:
                measured[name] = run_scenario(name, None, definition, args)
                continue
            urls = sqlite_url() if database == "sqlite" else postgres_url(args.pg)
            with urls as url:
                measured[name] = run_scenario(name, url, definition, args, inbox_process)
        rows = [measured[name] for name, _, _ in order]
        rounds.append(rows)
        load = os.getloadavg()
        print(
            f"Registration rush, round {number} of {args.rounds}, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC: {args.people} people, "
            f"{args.concurrency} at a time, {args.seats} seats left, {args.threads} threads; "
            f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
        )
        print(table(rows))
        print()
        print("\n".join(verdict(rows)))
        print(flush=True)
    print(f"Over {args.rounds} rounds, each app against the bare app of its own round:\n")
    print(summary(rounds))
    if skipped is not None:
        print(f"- PostgreSQL not measured: {skipped}")


if __name__ == "__main__":
    main()
