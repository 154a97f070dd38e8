"""A deadline rush: signed /anmal view submissions over HTTP against SQLite and PostgreSQL.

    /work/venv/bin/python bench/bench_registration.py [--requests 1000 --concurrency 50]

Three processes per scenario, so the load generator, the app and "Slack" do not share a GIL:
this one sends the signed requests (as Slack would) and measures the time to acknowledgement;
a child serves the app (waitress + HttpServer, as in production); another child runs the Slack
stand-in that receives the confirmation DMs. The baseline is a bare Bolt app on the same server
stack that only acks. Results: a markdown table on stdout and in bench/results/registration.md.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bot.blocks.registration_modal import Prefill, build_registration_modal  # noqa: E402
from bot.clock import SimulatedClock  # noqa: E402
from bot.events.loading import load_event_file  # noqa: E402
from bot.events.schema import EventDefinition  # noqa: E402
from bot.events.service import upsert_event  # noqa: E402
from bot.ids.registration import Callback  # noqa: E402
from bot.registration.form import FormField  # noqa: E402
from rehearsal.signed_requests import SlackSender  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Event, OutboxMessage, Registration, RegistrationStatus  # noqa: E402

EXAMPLE = ROOT / "examples" / "partnerskapsdag-skelleftea-2021.yaml"
RESULTS = ROOT / "bench" / "results" / "registration.md"
SIGNING_SECRET = "bench-signing-secret"
OPEN_AT = datetime(2021, 4, 1, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))  # registration open
P99_GOAL_MS = 300.0
WARMUP = 20  # invalid forms (no consent): warm every code path but the write


# ----- the child processes -----


@contextmanager
def sampled_by_py_spy(output: str | None) -> Iterator[None]:
    """Record this process with py-spy (collapsed stacks in output) while the block runs."""
    if not output:
        yield
        return
    import signal
    import subprocess

    spy = Path(sys.executable).with_name("py-spy")
    command = [str(spy), "record", "--pid", str(os.getpid()), "--format", "raw", "-r", "100"]
    recorder = subprocess.Popen([*command, "--nonblocking", "-o", output])
    time.sleep(1.0)  # let it attach before the load starts
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(60)


def _serve_app(url: str | None, api_url: str, threads: int, profile: str | None, pipe: Any) -> None:
    """Child: the app (or the bare baseline when url is None) over HTTP until told to stop."""
    import logging

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a backlog is expected here
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.settings import Settings
    from runtime.bootstrap import build_app
    from runtime.server import HttpServer

    if url is None:
        app = App(
            client=WebClient(token="xoxb-bench", base_url=api_url),
            signing_secret=SIGNING_SECRET,
            token_verification_enabled=False,
            listener_executor=ThreadPoolExecutor(max_workers=threads),
        )
        app.view(Callback.REGISTRATION_MODAL)(lambda ack: ack())
        database = None
    else:
        database = Database(url)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=url,
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=api_url,
        )
        app, _ = build_app(settings, database, clock=SimulatedClock(OPEN_AT), workers=threads)
    server = HttpServer(app, threads=threads).start()
    with sampled_by_py_spy(profile):
        pipe.send(server.url)
        while pipe.recv() != "stop":  # "cpu": the CPU seconds this process has used so far
            pipe.send(time.process_time())
    server.stop()
    if database is not None:
        database.dispose()


def _run_standin(pipe: Any) -> None:
    """Child: the Slack stand-in; answers ("dms", n, timeout) with the DM channels seen."""
    from rehearsal.standin.server import SlackStandIn

    with SlackStandIn() as slack:
        pipe.send(slack.api_url)
        while (command := pipe.recv()) != "stop":
            _, count, timeout = command
            with suppress(TimeoutError):  # report what did arrive
                slack.wait_for("chat.postMessage", count, timeout=timeout)
            pipe.send([call.channel for call in slack.posts()])


@contextmanager
def child(target: Callable[..., None], *args: Any) -> Iterator[tuple[Any, Any]]:
    """Start target(*args, pipe) in a fresh process; yield (first message, pipe)."""
    ours, theirs = mp.Pipe()
    process = mp.get_context("spawn").Process(target=target, args=(*args, theirs), daemon=True)
    process.start()
    try:
        yield ours.recv(), ours
    finally:
        ours.send("stop")
        process.join(30)
        if process.is_alive():
            process.terminate()


# ----- databases -----


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        yield f"sqlite:///{directory}/bench.sqlite3"


@contextmanager
def postgres_url(admin_url: str) -> Iterator[str]:
    from tests.support.pg import temporary_database

    with temporary_database(admin_url) as url:
        yield url


def prepare(url: str, definition: EventDefinition) -> None:
    database = Database(url)
    upgrade(database)
    with database.transaction() as session:
        upsert_event(session, definition, now=OPEN_AT)
    database.dispose()


@dataclass
class Stored:
    registered: int
    waitlisted: int
    users: Counter[str]
    confirmations: int
    registered_count: int


def stored(url: str, slug: str) -> Stored:
    database = Database(url)
    with database.transaction() as session:
        event = session.scalars(select(Event).where(Event.slug == slug)).one()
        rows = session.execute(
            select(Registration.user_id, Registration.status).where(
                Registration.event_id == event.id
            )
        ).all()
        confirmations = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "confirmation")
        )
        result = Stored(
            registered=sum(s == RegistrationStatus.REGISTERED for _, s in rows),
            waitlisted=sum(s == RegistrationStatus.WAITLISTED for _, s in rows),
            users=Counter(u for u, _ in rows),
            confirmations=confirmations or 0,
            registered_count=event.registered_count,
        )
    database.dispose()
    return result


# ----- the load -----


class _BodyRecorder(SlackSender):
    """Builds the exact bodies SlackSender would post, without posting (prepared up front)."""

    def _post(self, body: str, **_: Any) -> Any:  # type: ignore[override]
        return body


def bodies(definition: EventDefinition, users: list[str], *, consent: bool = True) -> list[str]:
    view = build_registration_modal(
        definition, prefill=Prefill(), seats_left=definition.registration.seat_limit, lang="sv"
    ).to_dict()
    recorder = _BodyRecorder("http://unused/slack/events", SIGNING_SECRET)
    result = []
    for n, user in enumerate(users):
        answers = {
            FormField.NAME: f"Deltagare {n}",
            FormField.ORGANISATION: "Skellefteå kommun" if n % 2 else "Umeå universitet",
            FormField.ROLE: "Lärare",
            FormField.CHOICE_1: ("larare", "energi", "ai")[n % 3],
            FormField.CONSENT: ["consent"] if consent else [],
        }
        result.append(recorder.submit_view(view, answers, user))
    return result


@dataclass
class Load:
    seconds: float
    latencies_ms: list[float]
    statuses: Counter[int]


def send_all(url: str, payloads: list[str], concurrency: int) -> Load:
    """Post every body (freshly signed) from `concurrency` threads; time each to its answer."""
    sender = SlackSender(url, SIGNING_SECRET)
    latencies: list[float] = [0.0] * len(payloads)
    statuses: list[int] = [0] * len(payloads)
    start_gate = threading.Barrier(concurrency + 1)
    next_index = iter(range(len(payloads)))
    lock = threading.Lock()

    def worker() -> None:
        start_gate.wait()
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                return
            began = time.perf_counter()
            try:
                statuses[index] = sender._post(payloads[index]).status
            except OSError:
                statuses[index] = -1
            latencies[index] = (time.perf_counter() - began) * 1000

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return Load(time.perf_counter() - began, latencies, Counter(statuses))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


# ----- scenarios -----


@dataclass
class Row:
    scenario: str
    requests: int
    load: Load
    cpu_ms: float  # the app process's CPU time during the measured load (all threads)
    lost: int | None = None
    duplicated: int | None = None
    notes: str = ""

    @property
    def rate(self) -> float:
        return self.requests / self.load.seconds


def run_scenario(
    name: str, url: str | None, definition: EventDefinition, args: argparse.Namespace
) -> Row:
    users = [f"U{n:08d}" for n in range(args.requests)]
    warmup = bodies(definition, [f"UWARM{n:04d}" for n in range(WARMUP)], consent=False)
    payloads = bodies(definition, users)
    with ExitStack() as stack:
        api_url, standin = stack.enter_context(child(_run_standin))
        if url is not None:
            prepare(url, definition)
        profile = f"{args.profile}-{name.split()[0].lower()}.txt" if args.profile else None
        app_url, app = stack.enter_context(child(_serve_app, url, api_url, args.threads, profile))
        send_all(app_url, warmup, min(args.concurrency, WARMUP))
        app.send("cpu")
        cpu_before = app.recv()
        load = send_all(app_url, payloads, args.concurrency)
        app.send("cpu")
        row = Row(name, args.requests, load, cpu_ms=(app.recv() - cpu_before) * 1000)
        if url is None:
            return row
        standin.send(("dms", args.requests, args.dm_timeout))
        dms = Counter(standin.recv())
    facts = stored(url, definition.slug)
    seat_limit = definition.registration.seat_limit
    row.lost = sum(1 for user in users if facts.users[user] == 0)
    row.duplicated = sum(n - 1 for n in facts.users.values() if n > 1) + sum(
        n - 1 for n in dms.values() if n > 1
    )
    problems = []
    if facts.registered + facts.waitlisted != args.requests:
        problems.append(f"registered+waitlisted={facts.registered + facts.waitlisted}")
    if not facts.registered == facts.registered_count == seat_limit:
        problems.append(f"registered={facts.registered}, counter={facts.registered_count}")
    if facts.confirmations != args.requests:
        problems.append(f"confirmations recorded={facts.confirmations}")
    if set(dms) != set(users):
        problems.append(f"DMs to {len(set(dms) & set(users))} of {len(users)} people")
    row.notes = (
        f"{facts.registered} registered, {facts.waitlisted} waitlisted, {sum(dms.values())} DMs"
        + ("; PROBLEM: " + ", ".join(problems) if problems else "")
    )
    return row


def table(rows: list[Row]) -> str:
    baseline = next((r for r in rows if r.scenario.startswith("bare")), None)
    lines = [
        "| scenario | requests | req/s | p50 ms | p99 ms | ratio to baseline | lost | duplicated "
        "| non-200 | app CPU ms/req | notes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        ratio = f"{row.rate / baseline.rate:.2f}" if baseline else "-"
        others = {status: n for status, n in row.load.statuses.items() if status != 200}
        non_200 = ", ".join(f"{n}x{status}" for status, n in sorted(others.items())) or "0"
        lines.append(
            f"| {row.scenario} | {row.requests} | {row.rate:.0f} "
            f"| {percentile(row.load.latencies_ms, 50):.1f} "
            f"| {percentile(row.load.latencies_ms, 99):.1f} | {ratio} "
            f"| {'-' if row.lost is None else row.lost} "
            f"| {'-' if row.duplicated is None else row.duplicated} | {non_200} "
            f"| {row.cpu_ms / row.requests:.2f} | {row.notes} |"
        )
    return "\n".join(lines)


def verdict(rows: list[Row]) -> list[str]:
    baseline = rows[0]
    lines = []
    for row in rows[1:]:
        p99 = percentile(row.load.latencies_ms, 99)
        checks = {
            f"p99 {p99:.0f} ms < {P99_GOAL_MS:.0f} ms": p99 < P99_GOAL_MS,
            f"throughput {row.rate / baseline.rate:.2f} of baseline >= 0.5": (
                row.rate >= baseline.rate / 2
            ),
            "no lost or duplicated registrations": row.lost == 0 and row.duplicated == 0,
            "all answered 200": set(row.load.statuses) == {200},
        }
        failed = [name for name, ok in checks.items() if not ok]
        lines.append(
            f"- {row.scenario}: " + ("goal met" if not failed else "MISSED: " + "; ".join(failed))
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seat-limit", type=int, default=600, help="the rest are waitlisted")
    parser.add_argument("--threads", type=int, default=8, help="waitress and listener threads")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="admin URL; a fresh database test_<uuid> is created next to it and dropped",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--dm-timeout", type=float, default=120.0)
    parser.add_argument(
        "--profile", metavar="PREFIX", help="sample the app with py-spy into PREFIX-<scenario>.txt"
    )
    args = parser.parse_args()

    example = load_event_file(EXAMPLE)
    registration = example.registration.model_copy(update={"seat_limit": args.seat_limit})
    definition = example.model_copy(update={"registration": registration})

    rows = [run_scenario("bare Bolt (ack only)", None, definition, args)]
    with sqlite_url() as url:
        rows.append(run_scenario("SQLite", url, definition, args))
    if not args.skip_postgres:
        with postgres_url(args.postgres) as url:
            rows.append(run_scenario("PostgreSQL", url, definition, args))

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = "\n".join(
        [
            f"# Registration deadline rush ({when})",
            "",
            f"`{' '.join([Path(sys.executable).name, *sys.argv])}`: {args.requests} signed "
            f"view submissions, {args.concurrency} concurrent connections, seat_limit "
            f"{args.seat_limit}, {args.threads} waitress + {args.threads} listener threads.",
            f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"{platform.platform()}.",
            "",
            table(rows),
            "",
            *verdict(rows),
            "",
        ]
    )
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
