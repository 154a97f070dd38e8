"""The deadline rush as people live it: /anmal, the modal, submit, the DM; bot beside a bare app.

    /work/main/.venv/bin/python bench/bench_registration.py [--people 150 --concurrency 50]
        [--seats 20] [--threads 8] [--pg URL | --skip-postgres]

Each of N people sends a signed `/anmal` over HTTP, waits until their modal arrives at the Slack
stand-in (views.open), submits it (a signed view_submission built from that very view) and waits
for their DM (chat.postMessage); `--concurrency` people are in flight at a time. The load
generator and the Slack stand-in run together in a child process; the app runs in this process,
served by the real server (runtime/server.py: waitress, `--threads` threads), so this process's
CPU time is the app's. The baseline is a bare Bolt app on the same server and thread count that
opens a small modal on the command and sends one DM on submit. Both run in the same invocation,
on SQLite and on PostgreSQL (`--pg URL` or TEST_DATABASE_URL; skipped with a line if unreachable).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing as mp
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bot.events.loading import load_event_file  # noqa: E402
from bot.events.schema import EventDefinition  # noqa: E402
from bot.events.service import upsert_event  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Event, Registration, RegistrationStatus  # noqa: E402

EXAMPLE = ROOT / "examples" / "partnerskapsdag-skelleftea-2021.yaml"
SIGNING_SECRET = "bench-signing-secret"
OPEN_AT = datetime(2021, 4, 1, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))  # registration open
WARMUP = 8  # people who open the form and submit it without consent: inline errors, no writes
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


# ----- the child: Slack stand-in + the people -----


def _standin_class():  # type: ignore[no-untyped-def]
    from rehearsal.standin.server import SlackStandIn

    class WatchingStandIn(SlackStandIn):
        """Tells each waiting person at once when their modal or their DM arrives."""

        def __init__(self) -> None:
            super().__init__()
            self.views: dict[str, dict[str, Any]] = {}  # trigger_id -> the opened view
            self.dms: dict[str, list[float]] = {}  # channel -> arrival times
            self.methods: Counter[str] = Counter()
            self.waiters: dict[tuple[str, str], threading.Event] = {}
            self.watch_lock = threading.Lock()

        def waiter(self, kind: str, key: str) -> threading.Event:
            with self.watch_lock:
                return self.waiters.setdefault((kind, key), threading.Event())

        def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
            result = super().answer(method, params)
            with self.watch_lock:
                self.methods[method] += 1
            if method == "views.open":
                self.views[params["trigger_id"]] = result["view"]
                self.waiter("view", params["trigger_id"]).set()
            elif method == "chat.postMessage":
                channel = str(params.get("channel"))
                with self.watch_lock:
                    self.dms.setdefault(channel, []).append(time.perf_counter())
                self.waiter("dm", channel).set()
            return result

    return WatchingStandIn


def _person(slack: Any, url: str, user: str, n: int, consent: bool) -> dict[str, Any]:
    """One person's whole registration; timings in ms, perf_counter marks in s."""
    from bot.registration.form import FormField
    from rehearsal.signed_requests import SlackSender, state_values

    sender = SlackSender(url, SIGNING_SECRET)
    trigger = f"{n}.{user}.trigger"
    body = urlencode({
        "token": "legacy", "team_id": "T00000001", "team_domain": "standin",
        "channel_id": "C0GENERAL", "channel_name": "general", "user_id": user,
        "user_name": user.lower(), "command": "/anmal", "text": "", "api_app_id": "A00000001",
        "is_enterprise_install": "false", "response_url": slack.response_url,
        "trigger_id": trigger,
    })  # fmt: skip
    out: dict[str, Any] = {"user": user}
    began = time.perf_counter()
    reply = sender._post(body)
    out["anmal_ms"] = (time.perf_counter() - began) * 1000
    out["anmal_status"] = reply.status
    if not slack.waiter("view", trigger).wait(30):
        out["error"] = "no modal"
        return out
    out["modal_ms"] = (time.perf_counter() - began) * 1000 - out["anmal_ms"]
    view = slack.views[trigger]
    answers = {
        FormField.NAME: f"Deltagare {n}",
        FormField.ORGANISATION: "Skellefteå kommun" if n % 2 else "Umeå universitet",
        FormField.ROLE: "Lärare",
        FormField.CHOICE_1: ("larare", "energi", "ai")[n % 3],
        FormField.CONSENT: ["consent"] if consent else [],
    }
    payload = {
        "type": "view_submission", "team": {"id": "T00000001"},
        "user": {"id": user, "team_id": "T00000001"}, "api_app_id": "A00000001",
        "trigger_id": f"{n}.{user}.submit",
        "view": {**view, "state": {"values": state_values(view, answers)}},
    }  # fmt: skip
    began = out["submit_began"] = time.perf_counter()
    reply = sender._post(urlencode({"payload": json.dumps(payload)}))
    out["submit_done"] = time.perf_counter()
    out["submit_ms"] = (out["submit_done"] - began) * 1000
    out["submit_status"] = reply.status
    out["submit_body"] = reply.body[:200]
    if consent and not slack.waiter("dm", user).wait(60):
        out["error"] = "no DM"
    elif consent:
        out["dm_ms"] = (time.perf_counter() - out["submit_done"]) * 1000
    return out


def _run_people(slack: Any, url: str, users: list[str], concurrency: int, consent: bool):  # type: ignore[no-untyped-def]
    counter = itertools.count()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        began = time.perf_counter()
        results = list(pool.map(lambda u: _person(slack, url, u, next(counter), consent), users))
    return began, results


def _loadgen(pipe: Any) -> None:
    """Child: the stand-in and the people. Commands: ("run", url, users, concurrency, consent)."""
    with _standin_class()() as slack:
        pipe.send(slack.api_url)
        while (command := pipe.recv()) != "stop":
            _, url, users, concurrency, consent = command
            slack.reset()
            slack.dms.clear()
            slack.methods.clear()
            began, results = _run_people(slack, url, users, concurrency, consent)
            told = [t for u in users for t in slack.dms.get(u, [])[:1]]
            pipe.send({
                "began": began,
                "results": results,
                "last_told": max(told, default=began),
                "dms": {u: len(slack.dms.get(u, [])) for u in users},
                "methods": dict(slack.methods),
            })  # fmt: skip


@contextmanager
def loadgen() -> Iterator[tuple[str, Any]]:
    ours, theirs = mp.Pipe()
    process = mp.get_context("spawn").Process(target=_loadgen, args=(theirs,), daemon=True)
    process.start()
    try:
        yield ours.recv(), ours
    finally:
        ours.send("stop")
        process.join(30)
        if process.is_alive():
            process.terminate()


# ----- the apps (in this process) -----


def bare_app(api_url: str, threads: int):  # type: ignore[no-untyped-def]
    """A bare Bolt app: a small modal on the command, one DM on submit, no database."""
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.ids.registration import Callback

    app = App(
        client=WebClient(token="xoxb-bench", base_url=api_url),
        signing_secret=SIGNING_SECRET,
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(max_workers=threads),
    )
    modal = {
        "type": "modal", "callback_id": str(Callback.REGISTRATION_MODAL),
        "title": {"type": "plain_text", "text": "Anmälan"},
        "submit": {"type": "plain_text", "text": "Skicka"},
        "blocks": [{"type": "input", "block_id": "reg_name", "label":
                    {"type": "plain_text", "text": "Namn"},
                    "element": {"type": "plain_text_input", "action_id": "v"}}],
    }  # fmt: skip

    @app.command("/anmal")
    def anmal(ack, command, client):  # type: ignore[no-untyped-def]
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=modal)

    @app.view(str(Callback.REGISTRATION_MODAL))
    def submit(ack, body, client):  # type: ignore[no-untyped-def]
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text="Tack, du är anmäld.")

    return app, None


def bot_app(url: str, api_url: str, threads: int):  # type: ignore[no-untyped-def]
    from bot.clock import SimulatedClock
    from bot.settings import Settings
    from runtime.bootstrap import build_app

    database = Database(url)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api_url,
    )
    app, services = build_app(settings, database, clock=SimulatedClock(OPEN_AT), workers=threads)
    return app, services


class SqlCounter:
    """Statements (BEGIN excluded: SQLite's own `BEGIN IMMEDIATE`) and commits on one engine."""

    def __init__(self, engine: Any):
        self.statements = 0
        self.begins = 0
        self.commits = 0
        self.lock = threading.Lock()
        sa_event.listen(engine, "before_cursor_execute", self._statement)
        sa_event.listen(engine, "commit", self._commit)

    def _statement(self, _conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        with self.lock:
            if statement.lstrip().upper().startswith("BEGIN"):
                self.begins += 1
            else:
                self.statements += 1

    def _commit(self, _conn):  # type: ignore[no-untyped-def]
        with self.lock:
            self.commits += 1

    def snapshot(self) -> tuple[int, int]:
        with self.lock:
            return self.statements, self.commits


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


def postgres_reachable(admin_url: str) -> str | None:
    """None if a connection works, else the reason."""
    from sqlalchemy import create_engine, text

    from storage.db import normalise_url

    try:
        engine = create_engine(normalise_url(admin_url), connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure: report and skip
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    return None


def prepare(url: str, definition: EventDefinition) -> None:
    database = Database(url)
    upgrade(database)
    with database.transaction() as session:
        upsert_event(session, definition, now=OPEN_AT)
    database.dispose()


def check_database(url: str, slug: str, results: list[dict[str, Any]], seats: int) -> list[str]:
    """Seats not oversold, one row per person, and arrival order kept: whoever's submission was
    acknowledged before another person's was sent is ahead of them in the queue (submissions in
    flight at the same time may be ordered either way)."""
    users = [r["user"] for r in results]
    database = Database(url)
    problems = []
    with database.read() as session:
        event = session.scalars(select(Event).where(Event.slug == slug)).one()
        rows = session.execute(
            select(Registration.user_id, Registration.status, Registration.queue_no).where(
                Registration.event_id == event.id
            )
        ).all()
    database.dispose()
    registered = [r for r in rows if r.status == RegistrationStatus.REGISTERED]
    if len(registered) != min(seats, len(users)) or event.registered_count != len(registered):
        problems.append(f"registered {len(registered)} (counter {event.registered_count})")
    if len(rows) != len(users) or len({r.user_id for r in rows}) != len(rows):
        problems.append(f"{len(rows)} rows for {len(users)} people")
    queue = {r.user_id: r.queue_no for r in rows}
    timed = [r for r in results if "submit_done" in r and r["user"] in queue]
    overtaken = sum(
        1
        for a in timed
        for b in timed
        if a["submit_done"] < b["submit_began"] and queue[a["user"]] > queue[b["user"]]
    )
    if overtaken:
        problems.append(f"{overtaken} pairs out of arrival order")
    return problems


@contextmanager
def sampled(output: str | None) -> Iterator[None]:
    """Sample this process with py-spy (on PATH) into output (collapsed stacks) meanwhile."""
    if not output:
        yield
        return
    import shutil
    import signal
    import subprocess

    spy = shutil.which("py-spy") or "py-spy"
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


@dataclass
class Row:
    name: str
    people: int
    seconds: float = 0.0
    anmal_ms: list[float] = field(default_factory=list)
    submit_ms: list[float] = field(default_factory=list)
    told_after_s: float = 0.0
    modal_ms: list[float] = field(default_factory=list)  # from the /anmal ack to views.open
    dm_ms: list[float] = field(default_factory=list)  # from the submit ack to the DM
    cpu_ms: float = 0.0
    statements: float | None = None
    transactions: float | None = None
    calls: dict[str, int] = field(default_factory=dict)
    lost: int = 0
    duplicated: int = 0
    problems: list[str] = field(default_factory=list)
    rss_mib: float = 0.0  # this (the app's) process after the rush
    thread_ms: dict[str, float] = field(default_factory=dict)  # CPU ms/person by thread name

    @property
    def rate(self) -> float:
        return self.people / self.seconds


def thread_cpu() -> dict[str, float]:
    """CPU seconds used so far by each live thread of this process, summed by thread name
    (numbered pool threads "waitress-3", "listener_1" count as one name)."""
    import re

    names = {t.native_id: t.name for t in threading.enumerate()}
    tick = os.sysconf("SC_CLK_TCK")
    used: Counter[str] = Counter()
    for task in Path("/proc/self/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        name = re.sub(r"[-_]\d+$", "", names.get(int(task.name), "(not Python)"))
        used[re.sub(r" \(.*\)$", "", name)] += (int(fields[11]) + int(fields[12])) / tick
    return dict(used)


def run_scenario(
    name: str, url: str | None, definition: EventDefinition, args: argparse.Namespace
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
            app, services = bot_app(url, api_url, args.threads)
        server = HttpServer(app, threads=args.threads).start()
        counter = SqlCounter(services.db.engine) if services else None
        try:
            warm = [f"UWARM{n:04d}" for n in range(WARMUP)]
            people.send(("run", server.url, warm, WARMUP, False))
            people.recv()
            users = [f"U{n:08d}" for n in range(args.people)]
            before_sql = counter.snapshot() if counter else (0, 0)
            cpu_before, threads_before = time.process_time(), thread_cpu()
            with sampled(args.profile and f"{args.profile}-{name.split()[-1].lower()}.txt"):
                people.send(("run", server.url, users, args.concurrency, True))
                outcome = people.recv()
            cpu_ms = (time.process_time() - cpu_before) * 1000
            threads_after = thread_cpu()
            after_sql = counter.snapshot() if counter else (0, 0)
        finally:
            server.stop()
            if services is not None:
                services.close()
                services.db.dispose()
    results = outcome["results"]
    row = Row(name, args.people, cpu_ms=cpu_ms, calls=outcome["methods"], rss_mib=rss_mib())
    row.thread_ms = {
        thread: (used - threads_before.get(thread, 0.0)) * 1000 / args.people
        for thread, used in sorted(threads_after.items(), key=lambda kv: -kv[1])
        if used - threads_before.get(thread, 0.0) > 0
    }
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
        row.statements = (after_sql[0] - before_sql[0]) / args.people
        row.transactions = (after_sql[1] - before_sql[1]) / args.people
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


def rss_mib() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


# ----- report -----


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values) or [float("nan")]
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def table(rows: list[Row]) -> str:
    bare = rows[0]
    lines = [
        "| app | people/s | vs bare | /anmal ack p50 / p99 ms | submit ack p50 / p99 ms "
        "| told after last ack s | app CPU ms/reg | SQL stmts/reg | transactions/reg "
        "| Web API calls/person | lost | duplicated |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        calls = sum(n for m, n in r.calls.items() if m != "auth.test") / r.people
        lines.append(
            f"| {r.name} | {r.rate:.0f} | {r.rate / bare.rate:.2f} "
            f"| {percentile(r.anmal_ms, 50):.0f} / {percentile(r.anmal_ms, 99):.0f} "
            f"| {percentile(r.submit_ms, 50):.0f} / {percentile(r.submit_ms, 99):.0f} "
            f"| {r.told_after_s:.2f} | {r.cpu_ms / r.people:.1f} "
            f"| {'-' if r.statements is None else f'{r.statements:.1f}'} "
            f"| {'-' if r.transactions is None else f'{r.transactions:.2f}'} "
            f"| {calls:.2f} | {r.lost} | {r.duplicated} |"
        )
    return "\n".join(lines)


def verdict(rows: list[Row]) -> list[str]:
    bare = rows[0]
    lines = [
        f"- Web API calls, {bare.name}: {dict(sorted(bare.calls.items()))}",
        "- RSS of this process (it hosts each app in turn) after each rush: "
        + ", ".join(f"{r.name} {r.rss_mib:.0f} MiB" for r in rows),
        "- CPU ms/person by thread: "
        + "; ".join(
            f"{r.name}: "
            + ", ".join(f"{thread} {ms:.1f}" for thread, ms in r.thread_ms.items() if ms >= 0.05)
            for r in rows
        ),
    ]
    for r in rows[1:]:
        checks = {
            f"throughput {r.rate / bare.rate:.2f}x >= 0.5x": r.rate >= bare.rate / 2,
            f"/anmal ack p99 {percentile(r.anmal_ms, 99) / percentile(bare.anmal_ms, 99):.1f}x "
            "<= 2x": percentile(r.anmal_ms, 99) <= 2 * percentile(bare.anmal_ms, 99),
            f"submit ack p99 {percentile(r.submit_ms, 99) / percentile(bare.submit_ms, 99):.1f}x "
            "<= 2x": percentile(r.submit_ms, 99) <= 2 * percentile(bare.submit_ms, 99),
            f"told {r.told_after_s:.2f} s <= 2 s after the last ack": r.told_after_s <= 2.0,
            f"{r.statements:.1f} statements <= 8": (r.statements or 0) <= 8,
            f"{r.transactions:.2f} transactions <= 3": (r.transactions or 0) <= 3,
            "lost = duplicated = 0": r.lost == 0 and r.duplicated == 0,
            "database consistent": not r.problems,
        }
        missed = [c for c, ok in checks.items() if not ok]
        lines.append(
            f"- {r.name}: " + ("all goals met" if not missed else "MISSED: " + "; ".join(missed))
        )
        lines.append(
            f"  Web API calls: {dict(sorted(r.calls.items()))}; modal after the /anmal ack "
            f"p50 {percentile(r.modal_ms, 50):.0f} ms (bare {percentile(bare.modal_ms, 50):.0f}),"
            f" DM after the submit ack p50 {percentile(r.dm_ms, 50):.0f} ms / p99 "
            f"{percentile(r.dm_ms, 99):.0f} (bare {percentile(bare.dm_ms, 50):.0f} / "
            f"{percentile(bare.dm_ms, 99):.0f})"
        )
        if r.problems:
            lines.append("  PROBLEMS: " + ", ".join(r.problems))
    return lines


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
    parser.add_argument("--profile", metavar="PREFIX", help="py-spy samples: PREFIX-<db>.txt")
    args = parser.parse_args()

    import logging

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a backlog is expected here
    example = load_event_file(EXAMPLE)
    registration = example.registration.model_copy(update={"seat_limit": args.seats})
    definition = example.model_copy(update={"registration": registration})

    rows = [run_scenario("bare Bolt", None, definition, args)]
    with sqlite_url() as url:
        rows.append(run_scenario("bot, SQLite", url, definition, args))
    skipped = "skipped (--skip-postgres)" if args.skip_postgres else postgres_reachable(args.pg)
    if skipped is None:
        with postgres_url(args.pg) as url:
            rows.append(run_scenario("bot, PostgreSQL", url, definition, args))
    load = os.getloadavg()
    print(
        f"Registration rush {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {args.people} people, "
        f"{args.concurrency} at a time, {args.seats} seats left, {args.threads} threads; "
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
    )
    print(table(rows))
    print()
    print("\n".join(verdict(rows)))
    if skipped is not None:
        print(f"- PostgreSQL not measured: {skipped}")


if __name__ == "__main__":
    main()
