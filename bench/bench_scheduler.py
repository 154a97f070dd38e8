"""Scheduler benchmark: loading many events' jobs, and real-clock lateness of a reminder burst.

    /work/venv/bin/python bench/bench_scheduler.py [--database-url URL] [--events 100]
        [--items 20] [--burst 200]

1. Start-up: EVENTS events with ITEMS agenda items each are loaded; the real SchedulerService
   becomes leader and syncs every job into APScheduler's SQLAlchemy job store (first start), then
   again with the jobs already stored (restart). Reported: wall time and memory (tracemalloc peak
   of the sync, and the process's peak RSS).
2. Burst: BURST reminders due within one minute (10 events loaded while the scheduler runs, so
   they reach it through the re-sync, like `event load`), each posted through the outbox and the
   Deliverer to the in-process Slack stand-in. Lateness = arrival at the stand-in - due time.
3. Baseline: a bare APScheduler (same job store type, same due times) whose job only records when
   it fired. The difference is what our job (outbox transaction + HTTP post) costs.
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore  # noqa: E402
from apscheduler.schedulers.background import BackgroundScheduler  # noqa: E402

from bot.clock import SystemClock  # noqa: E402
from bot.events.schema import EventDefinition  # noqa: E402
from bot.events.service import upsert_event  # noqa: E402
from bot.settings import Settings  # noqa: E402
from rehearsal.standin.server import SlackStandIn  # noqa: E402
from runtime.bootstrap import build_app  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from workers.scheduler import SchedulerService  # noqa: E402

TZ = ZoneInfo("Europe/Stockholm")
FIRED: list[float] = []  # baseline firing times (module-level: APScheduler needs a reference)


def _event(slug: str, day: datetime, starts: list[datetime], *, reminders: list[int]) -> dict:
    agenda = [
        {
            "start": s.time().isoformat(),
            "end": (s + timedelta(seconds=30)).time().isoformat(),
            "title": f"Punkt {i + 1}",
            "reminder_minutes": reminders,
        }
        for i, s in enumerate(starts)
    ]
    first, last = min(starts), max(starts) + timedelta(minutes=1)
    return {
        "slug": slug,
        "title": f"Bench {slug}",
        "date": first.date().isoformat(),
        "start_time": first.time().isoformat(),
        "end_time": last.time().isoformat(),
        "channel": f"#{slug}",
        "coordinators": {"users": []},
        "registration": {
            "opens": (day - timedelta(days=30)).replace(tzinfo=None).isoformat(),
            "closes": (day - timedelta(days=2)).replace(tzinfo=None).isoformat(),
            "seat_limit": 100,
        },
        "focus_areas": [
            {"key": "fa", "name": "F", "groups": [{"key": "g", "name": "G", "max_size": 100}]}
        ],
        "agenda": agenda,
    }


def _load(db: Database, events: list[dict]) -> None:
    now = SystemClock().now()
    with db.transaction() as session:
        for data in events:
            upsert_event(session, EventDefinition.model_validate(data), now=now)


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99, ordered[-1]


def _baseline_job(due: float) -> None:
    FIRED.append(time.time() - due)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--burst", type=int, default=200)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.ERROR
    )  # missed joinlinks etc. of the burst events are expected
    tmp = Path(tempfile.mkdtemp(prefix="bench-sched-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    db = Database(url)
    upgrade(db)
    backend = "PostgreSQL" if not db.is_sqlite else "SQLite"

    # 1. start-up with EVENTS x ITEMS
    base_day = datetime.now(TZ).replace(hour=9, minute=0, second=0, microsecond=0)
    events = []
    for n in range(args.events):
        day = base_day + timedelta(days=7 + n)
        starts = [day + timedelta(minutes=15 * i) for i in range(args.items)]
        events.append(_event(f"bench-{n:03d}", day, starts, reminders=[5]))
    _load(db, events)

    with SlackStandIn() as slack:
        settings = Settings(
            _env_file=None,
            database_url=url,
            slack_bot_token="xoxb-bench",  # type: ignore[call-arg]
            slack_signing_secret="s",
            slack_api_url=slack.api_url,
            leader_poll_seconds=0.5,
        )
        rows = []
        for label in ("first start (jobs written)", "restart (jobs already stored)"):
            _app, services = build_app(settings, db, clock=SystemClock())
            tracemalloc.start()
            started = time.perf_counter()
            service = SchedulerService(services, poll_seconds=0.5).start()
            service.became_leader.wait(600)
            elapsed = time.perf_counter() - started
            _cur, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            jobs = len(service.scheduler.get_jobs("default")) if service.scheduler else 0
            rows.append((label, jobs, elapsed, peak / 2**20))
            if label.startswith("first"):
                service.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        # 2. burst: BURST reminders due within one minute, loaded while the scheduler runs
        start = datetime.now(TZ).replace(microsecond=0) + timedelta(seconds=20)
        per_event = args.burst // 10
        burst_events, due_times = [], []
        for e in range(10):
            starts = [
                start + timedelta(seconds=(e * per_event + i) * 60 // args.burst)
                for i in range(per_event)
            ]
            due_times += starts
            burst_events.append(_event(f"burst-{e}", start, starts, reminders=[0]))
        _load(db, burst_events)
        wall0, mono0 = time.time(), time.monotonic()
        slack.wait_until(lambda: len(slack.posts()) >= args.burst, timeout=300, what="burst")
        service.stop()
        due_by_text: dict[tuple[str, str], float] = {}
        for e, data in enumerate(burst_events):
            for i, _item in enumerate(data["agenda"]):
                due_by_text[(f"#burst-{e}", f"Punkt {i + 1}*")] = due_times[
                    e * per_event + i
                ].timestamp()
        lateness = []
        for call in slack.posts():
            title = call.params["text"].rsplit("*", 2)[-2] + "*"
            due = due_by_text.get((call.channel, title))
            if due is not None:
                lateness.append(call.at - mono0 + wall0 - due)

    # 3. baseline: a bare APScheduler job that only records its firing time
    FIRED.clear()
    bare_db = Database(f"sqlite:///{tmp / 'bare.sqlite3'}") if db.is_sqlite else db
    bare = BackgroundScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=bare_db.engine, tablename="bench_bare_jobs")
        },
        timezone=UTC,
    )
    bare.start()
    offset = datetime.now(TZ).replace(microsecond=0) + timedelta(seconds=5) - start
    for n, due in enumerate(due_times):
        moved = due + offset
        bare.add_job(
            _baseline_job,
            "date",
            run_date=moved,
            args=[moved.timestamp()],
            id=f"bare-{n}",
            misfire_grace_time=900,
        )
    done = threading.Event()
    while len(FIRED) < len(due_times) and not done.wait(0.2):
        pass
    bare.shutdown()

    print(f"Backend: {backend}; {args.events} events x {args.items} agenda items")
    print()
    print("| start-up | jobs | time (s) | tracemalloc peak (MiB) |")
    print("|---|---:|---:|---:|")
    for label, jobs, elapsed, peak in rows:
        print(f"| {label} | {jobs} | {elapsed:.2f} | {peak:.1f} |")
    print(f"\nProcess peak RSS: {rss:.0f} MiB\n")
    print(f"| burst of {args.burst} reminders within 60 s | p50 (s) | p99 (s) | max (s) |")
    print("|---|---:|---:|---:|")
    for label, values in (
        ("workshopbot (outbox + Deliverer + stand-in)", lateness),
        ("bare APScheduler job (records its firing time)", FIRED),
    ):
        p50, p99, worst = _percentiles(values)
        print(f"| {label} (n={len(values)}) | {p50:.3f} | {p99:.3f} | {worst:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
