"""The deadline rush's apps and databases: a bare Bolt app, the bot as `serve` builds it, the
throw-away SQLite and PostgreSQL databases, and the checks of what the bot stored."""

from __future__ import annotations

import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.rush_people import SIGNING_SECRET  # noqa: E402
from bot.events.schema import EventDefinition  # noqa: E402
from bot.events.service import upsert_event  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Event, Registration, RegistrationStatus  # noqa: E402

EXAMPLE = ROOT / "examples" / "partnerskapsdag-skelleftea-2021.yaml"
OPEN_AT = datetime(2021, 4, 1, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))  # registration open
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


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


def bot_app(url: str, api_url: str, threads: int, inbox_process: bool):  # type: ignore[no-untyped-def]
    """The bot as `serve` builds it (runtime/serve.py), its inbox in a process of its own or not;
    that process is counted (bench/rush_child.py)."""
    from bot.clock import SimulatedClock
    from bot.settings import Settings
    from runtime.inbox_process import InboxProcess
    from runtime.serve import build_served_app

    database = Database(url)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api_url,
        inbox_process=inbox_process,
    )
    # the inbox process runs wrapped to report what it counted (bench/rush_child.py)
    InboxProcess.module = "bench.rush_child"
    return build_served_app(settings, database, clock=SimulatedClock(OPEN_AT), workers=threads)


# ----- the inbox process, counted -----

COUNTS_ENV = "RUSH_CHILD_COUNTS"  # the file the inbox process writes its counts to
COUNTS_EVERY_S = 0.2


def child_counts() -> dict[str, Any]:
    """What the inbox process wrote last (zeros before it wrote anything)."""
    import json
    import os

    try:
        return dict(json.loads(Path(os.environ[COUNTS_ENV]).read_text()))
    except (KeyError, OSError, ValueError):
        return {"statements": 0, "commits": 0, "threads": {}}


def thread_cpu() -> dict[str, float]:
    """CPU seconds used so far by each live thread of this process, summed by thread name
    (numbered pool threads "waitress-3", "listener_1", "Thread-5 (run)" count as one name). A
    thread that ended during the rush is missing: the report shows the sum beside the total."""
    import os
    import re

    names = {t.native_id: t.name for t in threading.enumerate()}
    tick = os.sysconf("SC_CLK_TCK")
    used: Counter[str] = Counter()
    for task in Path("/proc/self/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        name = re.sub(r" \(.*\)$", "", names.get(int(task.name), "not Python"))
        used[re.sub(r"[-_]\d+$", "", name)] += (int(fields[11]) + int(fields[12])) / tick
    return dict(used)


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) another process has used so far."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_s(name: str = "postgres") -> float | None:
    """CPU seconds every process called name on this machine (a local database server: its
    backends, WAL writer, checkpointer) has used so far; None when there is none to read."""
    import os

    total, found = 0, False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != name:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        total, found = total + int(fields[11]) + int(fields[12]), True
    return total / os.sysconf("SC_CLK_TCK") if found else None


class SqlCounter:
    """Statements (BEGIN excluded: SQLite's own `BEGIN IMMEDIATE`) and transactions on one engine:
    each commit, and each statement on an autocommit connection (PostgreSQL's reads and grouped
    inbox INSERTs: a transaction of its own each; the commit SQLAlchemy still signals there sends
    nothing and is not counted)."""

    def __init__(self, engine: Any):
        self.statements = 0
        self.begins = 0
        self.commits = 0
        self.lock = threading.Lock()
        sa_event.listen(engine, "before_cursor_execute", self._statement)
        sa_event.listen(engine, "commit", self._commit)

    def _statement(self, conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        with self.lock:
            if statement.lstrip().upper().startswith("BEGIN"):
                self.begins += 1
            else:
                self.statements += 1
                self.commits += _autocommit(conn)

    def _commit(self, conn):  # type: ignore[no-untyped-def]
        if _autocommit(conn):
            return
        with self.lock:
            self.commits += 1

    def snapshot(self) -> tuple[int, int]:
        with self.lock:
            return self.statements, self.commits


def _autocommit(conn: Any) -> bool:
    return conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"


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
