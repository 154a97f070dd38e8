"""A message in flight when the process died is resolved by the same instance at its next start,
promptly (not after 5 minutes, not only by a new scheduler leader): marked unknown, never re-sent
on its own, and the coordinators are told. Another instance's rows are left to it.

The state a SIGKILL leaves (a row claimed 'sending' by instance host-a) is built in the database
with the app's own outbox functions; then `python app.py serve` is started as host-a.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import outbox, outbox_sending
from bot.clock import SimulatedClock
from bot.events.loading import load_event_file, parse_event
from bot.events.service import get_event
from rehearsal.signed_requests import SlackSender
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage
from tests.conftest import EXAMPLE, ROOT, SIGNING_SECRET, load
from tests.e2e.runtime.test_serve_process import _env, _free_port, _wait_healthy
from tests.support.forms import ANSWERS

COORDINATORS = ("U01JGARDEST", "U01IDALINDH")


def _claimed(db: Database, *, key: str, channel: str, instance: str, at: datetime) -> int:
    with db.transaction() as session:
        event = get_event(session, "skelleftea-2021")
        message_id = outbox.enqueue(session, key=key, channel=channel, text="Du är anmäld",
                                    kind="confirmation", event_id=event.id, now=at)  # fmt: skip
    with db.transaction() as session:
        assert outbox_sending.claim(session, message_id, now=at, instance=instance) is not None
    return message_id


def _status(db: Database, message_id: int) -> str:
    with db.transaction() as session:
        return session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == message_id))


def test_restarted_instance_resolves_its_own_interrupted_rows(tmp_path, slack):
    port = _free_port()
    env = _env(tmp_path, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SLACK_API_URL=slack.api_url, PORT=str(port), HOST="127.0.0.1",
               SCHEDULER_ENABLED="false", INSTANCE_ID="host-a")  # fmt: skip
    db = Database(env["DATABASE_URL"])
    upgrade(db)
    a_minute_ago = datetime.now(UTC) - timedelta(minutes=1)
    load(db, load_event_file(EXAMPLE), SimulatedClock(a_minute_ago))
    ours = _claimed(db, key="confirmation:a", channel="U0PARTIC1", instance="host-a",
                    at=a_minute_ago)  # fmt: skip
    theirs = _claimed(db, key="confirmation:b", channel="U0PARTIC2", instance="host-b",
                      at=a_minute_ago)  # fmt: skip
    # what host-a's inbox process was sending (resolved by the app, or by its new child)
    childs = _claimed(db, key="confirmation:c", channel="U0PARTIC3", instance="host-a/inbox",
                      at=a_minute_ago)  # fmt: skip

    process = subprocess.Popen(
        [sys.executable, "app.py", "serve"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        for coordinator in COORDINATORS:
            reports = [call.params["text"] for call in slack.wait_for_posts(coordinator, 2)]
            assert all("okänt om meddelande" in dm for dm in reports)
            dms = "\n".join(reports)
            assert "<@U0PARTIC1>" in dms and "<@U0PARTIC3>" in dms
            assert "U0PARTIC2" not in dms
        assert _status(db, ours) == "unknown"
        assert _status(db, childs) == "unknown"
        assert _status(db, theirs) == "sending"  # host-b may still be sending it
        assert slack.posts("U0PARTIC1") == slack.posts("U0PARTIC3") == []  # never re-sent
    finally:
        process.terminate()
        process.wait(timeout=20)
        db.dispose()


def _wait_for_status(db: Database, kind: str, status: str) -> int:
    for _ in range(300):  # a wait for the app to get there, not a timing assertion
        with db.transaction() as session:
            row = session.execute(
                select(OutboxMessage.id, OutboxMessage.status).where(OutboxMessage.kind == kind)
            ).first()
        if row is not None and row.status == status:
            return row.id
        time.sleep(0.1)
    raise AssertionError(f"no {kind} row became {status}")


def test_sigkill_mid_confirmation_then_restart(tmp_path, slack):
    """The real thing: serve is killed (SIGKILL) while Slack holds the confirmation DM's call."""
    port = _free_port()
    env = _env(tmp_path, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SLACK_API_URL=slack.api_url, PORT=str(port), HOST="127.0.0.1",
               SCHEDULER_ENABLED="false", INSTANCE_ID="host-a")  # fmt: skip
    db = Database(env["DATABASE_URL"])
    upgrade(db)
    next_year = datetime.now(UTC).year + 1  # serve runs on the real clock: registration open now
    text = EXAMPLE.read_text(encoding="utf-8").replace("opens: 2021-03-22", "opens: 2020-01-01")
    definition = parse_event(text.replace("2021-04-", f"{next_year}-04-"))
    load(db, definition, SimulatedClock(datetime.now(UTC)))
    slack.delay("chat.postMessage", 10)  # Slack is slow: the call is in flight when we kill
    serve = [sys.executable, "app.py", "serve"]
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(serve, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(f"{url}/healthz", process)
        sender = SlackSender(f"{url}/slack/events", SIGNING_SECRET)
        assert sender.command("/anmal", "", "U0PARTIC1").status == 200
        view = slack.wait_for("views.open")[-1].params["view"]
        assert sender.submit_view(view, ANSWERS, "U0PARTIC1").status == 200
        message_id = _wait_for_status(db, "confirmation", "sending")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    slack.delay("chat.postMessage", 0)

    process = subprocess.Popen(serve, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(f"{url}/healthz", process)
        for coordinator in COORDINATORS:
            dm = slack.wait_for_posts(coordinator)[0].params["text"]
            assert "<@U0PARTIC1>" in dm and "okänt om meddelande" in dm
        assert _status(db, message_id) == "unknown"
        # never sent again: at most the one call the killed process made
        assert len(slack.posts("U0PARTIC1")) <= 1
    finally:
        process.terminate()
        process.wait(timeout=20)
        db.dispose()
