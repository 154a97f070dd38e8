"""A message in flight when the process died is resolved by the same instance at its next start,
promptly (not after 5 minutes, not only by a new scheduler leader): marked unknown, never re-sent
on its own, and the coordinators are told. Another instance's rows are left to it.

The state a SIGKILL leaves (a row claimed 'sending' by instance host-a) is built in the database
with the app's own outbox functions; then `python app.py serve` is started as host-a.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import outbox
from bot.clock import SimulatedClock
from bot.events.loading import load_event_file
from bot.events.service import get_event
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage
from tests.conftest import EXAMPLE, ROOT, SIGNING_SECRET, load
from tests.e2e.runtime.test_serve_process import _env, _free_port, _wait_healthy

COORDINATORS = ("U01JGARDEST", "U01IDALINDH")


def _claimed(db: Database, *, key: str, channel: str, instance: str, at: datetime) -> int:
    with db.transaction() as session:
        event = get_event(session, "skelleftea-2021")
        message_id = outbox.enqueue(session, key=key, channel=channel, text="Du är anmäld",
                                    kind="confirmation", event_id=event.id, now=at)  # fmt: skip
    with db.transaction() as session:
        assert outbox.claim(session, message_id, now=at, instance=instance) is not None
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

    process = subprocess.Popen(
        [sys.executable, "app.py", "serve"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        for coordinator in COORDINATORS:
            dm = slack.wait_for_posts(coordinator)[0].params["text"]
            assert "<@U0PARTIC1>" in dm
            assert "okänt om det kom fram" in dm
            assert "U0PARTIC2" not in dm
        assert _status(db, ours) == "unknown"
        assert _status(db, theirs) == "sending"  # host-b may still be sending it
        assert slack.posts("U0PARTIC1") == []  # never re-sent on its own
    finally:
        process.terminate()
        process.wait(timeout=20)
        db.dispose()
