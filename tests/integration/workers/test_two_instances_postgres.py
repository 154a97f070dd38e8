"""Two real `serve` processes on one PostgreSQL database: every reminder is posted exactly once,
and when the leader is killed the follower takes the scheduler over."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.clock import SystemClock
from bot.events.service import upsert_event
from storage.db import Database, normalise_url
from storage.migrate import upgrade
from storage.models import OutboxMessage
from tests.conftest import ROOT, postgres_url
from tests.support.schedule import relative_event

pytestmark = pytest.mark.postgres


def _require_postgres() -> str:
    url = postgres_url()
    if url:
        return url
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
    pytest.skip("TEST_DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)")


@pytest.fixture
def pg_database() -> Iterator[Database]:
    """A fresh, isolated database on the TEST_DATABASE_URL server, dropped afterwards."""
    import psycopg

    base = make_url(normalise_url(_require_postgres()))
    name = f"test_sched_{uuid.uuid4().hex[:12]}"
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    db = Database(base.set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(db)
        yield db
    finally:
        db.dispose()
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: Database, slack, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": slack.api_url,
        "HOST": "127.0.0.1",
        "PORT": str(_free_port()),
        "LEADER_POLL_SECONDS": "0.5",
        "LOG_LEVEL": "INFO",
    }
    handle = log.open("w")
    return subprocess.Popen(
        [sys.executable, "app.py", "serve"],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


LEADS = "This instance leads the scheduler"


def _leader(logs: list[Path], slack) -> int:
    """Index of the instance that logged leadership; waits on the stand-in's arrivals."""
    found: list[int] = []

    def check() -> bool:  # re-checked on every Slack call and at the timeout
        found[:] = [i for i, log in enumerate(logs) if LEADS in log.read_text()]
        return bool(found)

    slack.wait_until(check, timeout=60, what="a leader")
    return found[0]


def test_two_serve_processes_post_every_reminder_once(pg_database, slack, tmp_path):
    now = SystemClock().now()
    # phase 1 falls due a few seconds after start; phase 2 after the leader has been killed
    offsets = [6, 6, 7, 7, 8, 30, 30, 31, 31, 32]
    definition = relative_event("two-inst", now, offsets)
    with pg_database.transaction() as session:
        upsert_event(session, definition, now=now)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = [_serve(pg_database, slack, log) for log in logs]
    try:
        slack.wait_for_posts("#testdag", 5, timeout=120)
        leader = _leader(logs, slack)
        procs[leader].send_signal(signal.SIGKILL)
        procs[leader].wait(timeout=30)
        follower = 1 - leader
        slack.wait_for_posts("#testdag", 10, timeout=120)
        assert LEADS in logs[follower].read_text(), logs[follower].read_text()[-3000:]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()  # SIGTERM: a graceful stop, in-flight sends are recorded
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    texts = Counter(c.params["text"] for c in slack.posts("#testdag"))
    assert len(texts) == len(offsets), texts
    assert set(texts.values()) == {1}, texts  # every reminder once, none twice
    closing = [c for c in slack.posts("U0COORD01") if "har stängt" in c.params["text"]]
    assert len(closing) == 1  # the closing note, once
    with pg_database.transaction() as session:
        rows = session.execute(select(OutboxMessage.key, OutboxMessage.status)).all()
    status = {key: s for key, s in rows if key.startswith("reminder:two-inst:")}
    assert len(status) == len(offsets)
    # Killed right after Slack accepted a phase-1 post, the leader may not have recorded 'sent':
    # that row stays 'sending' (becomes 'unknown' at a later start) and is never re-sent.
    phase1 = {f"reminder:two-inst:punkt-{n}:0" for n in range(1, 6)}
    assert all(s == "sent" for key, s in status.items() if key not in phase1), status
    assert all(s in ("sent", "sending") for s in status.values()), status
