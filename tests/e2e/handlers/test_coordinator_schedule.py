"""Scheduled broadcasts (change, cancel, start when due) and resuming after a killed process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import select

from bot import outbox_sending
from bot.clock import SystemClock
from bot.coordination import broadcast_sending
from bot.ids.coordinator import Action
from storage.models import Broadcast, OutboxMessage, OutboxStatus
from tests.conftest import ROOT, load
from tests.e2e.handlers.test_coordinator_broadcast import (
    answers,
    open_compose,
    progress_text,
    wait_done,
)
from tests.support.coordination import COORDINATOR, fast_runner, register_people, start_broadcast
from workers.broadcast_runner import start_poller
from workers.broadcast_sender import BroadcastSender
from workers.delivery import Deliverer


def schedule(bot, clock, text="Påminnelse", hours=1):
    later = int((clock.now() + timedelta(hours=hours)).timestamp())
    view = open_compose(bot)
    preview = bot.sender.submit_view(view, answers(text=text, send_at=later), COORDINATOR).json()
    assert preview["view"]["submit"]["text"] == "Schemalägg"
    assert "Skickas torsdag 1 april 2021 kl. 11:00." in json_text(preview["view"])
    return bot.sender.submit_view(preview["view"], {}, COORDINATOR).json()["view"]


def json_text(view) -> str:
    import json

    return json.dumps(view, ensure_ascii=False)


def statuses(db):
    with db.transaction() as session:
        return list(session.scalars(select(Broadcast.status).order_by(Broadcast.id)))


def test_a_scheduled_broadcast_waits_for_its_time(bot, db, clock, example):
    load(db, example, clock)
    people = register_people(db, clock.now(), 3)
    runner = fast_runner(bot.services)
    notice = schedule(bot, clock)
    assert "schemalagt till torsdag 1 april 2021 kl. 11:00" in json_text(notice)
    assert {e["action_id"] for e in notice["blocks"][1]["elements"]} == {
        Action.CHANGE_SCHEDULED, Action.CANCEL_SCHEDULED}  # fmt: skip
    assert runner.submit_due() == [] and bot.slack.posts() == []
    clock.advance(timedelta(hours=1))
    assert runner.submit_due() == [1]
    wait_done(bot)
    assert [len(bot.slack.posts(p)) for p in people] == [1, 1, 1]
    assert statuses(db) == ["done"]


def test_changing_a_scheduled_broadcast_replaces_it(bot, db, clock, example):
    load(db, example, clock)
    people = register_people(db, clock.now(), 2)
    runner = fast_runner(bot.services)
    schedule(bot, clock, text="Första versionen")
    bot.sender.click(Action.CHANGE_SCHEDULED, "1", COORDINATOR)
    modal = bot.slack.wait_for("views.open", 2)[-1].params["view"]
    assert "Första versionen" in json_text(modal) and modal["private_metadata"].endswith("|1")
    later = int((clock.now() + timedelta(hours=2)).timestamp())
    preview = bot.sender.submit_view(modal, answers(text="Andra versionen", send_at=later),
                                     COORDINATOR).json()["view"]  # fmt: skip
    assert "ersätter det schemalagda utskicket" in json_text(preview)
    bot.sender.submit_view(preview, {}, COORDINATOR)
    assert statuses(db) == ["cancelled", "scheduled"]
    clock.advance(timedelta(hours=2))
    assert runner.submit_due() == [2]
    wait_done(bot)
    assert [p.params["text"] for p in bot.slack.posts(people[0])] == ["Andra versionen"]


def test_cancelling_a_scheduled_broadcast_sends_nothing(bot, db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 2)
    runner = fast_runner(bot.services)
    schedule(bot, clock)
    url = bot.slack.response_url
    bot.sender.click(Action.CANCEL_SCHEDULED, "1", COORDINATOR, response_url=url)
    assert "avbrutet. Inget har skickats" in bot.slack.wait_for("response_url")[-1].params["text"]
    clock.advance(timedelta(hours=3))
    assert runner.submit_due() == []
    assert statuses(db) == ["cancelled"] and bot.slack.posts() == []
    bot.sender.click(Action.CANCEL_SCHEDULED, "1", COORDINATOR, response_url=url)
    assert "kan inte ändras längre" in bot.slack.wait_for("response_url", 2)[-1].params["text"]


def test_a_restart_resumes_without_second_copies(bot, db, clock, example):
    load(db, example, clock)
    broadcast_id, people = start_broadcast(db, clock.now(), 10)
    deliverer = Deliverer(db, bot.services.client, clock)
    with db.transaction() as session:
        ids = broadcast_sending.pending_ids(session, broadcast_id, now=clock.now())
    deliverer.deliver(ids[:4])  # sent before the crash
    with db.transaction() as session:  # the 5th was claimed when the process died
        assert outbox_sending.claim(session, ids[4], now=clock.now()) is not None
    clock.advance(timedelta(minutes=3))

    stop = start_poller(bot.services)  # what a restarted process does
    try:
        fast_runner(bot.services)
        wait_done(bot)
    finally:
        stop()
    assert [len(bot.slack.posts(p)) for p in people] == [1, 1, 1, 1, 0, 1, 1, 1, 1, 1]
    assert "9 av 10 skickade" in progress_text(bot)
    with db.transaction() as session:
        row = session.get(OutboxMessage, ids[4])
        assert row.status == OutboxStatus.UNKNOWN  # maybe sent: only a coordinator re-sends


KILLED_SENDER = """
import sys
from slack_sdk import WebClient
from slack_sdk import WebClient

from bot.clock import SystemClock
from workers.broadcast_sender import BroadcastSender
from storage.db import Database
db = Database(sys.argv[1])
BroadcastSender(db, WebClient(token="xoxb-test", base_url=sys.argv[2]), SystemClock(),
                rate=40, workers=2).run(int(sys.argv[3]))
"""


def test_a_killed_process_resumes_from_the_outbox(db, clock, example, slack):
    load(db, example, clock)
    broadcast_id, people = start_broadcast(db, clock.now(), 60)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", KILLED_SENDER, db.url, slack.api_url,
                                str(broadcast_id)], env=env, cwd=ROOT)  # fmt: skip
    try:
        slack.wait_until(lambda: len(slack.posts()) >= 15, timeout=60, what="15 posts")
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    sent_before = {c.channel for c in slack.posts()}
    assert len(sent_before) < 60  # killed mid-way

    with db.transaction() as session:
        interrupted = broadcast_sending.mark_interrupted(session, claimed_before=datetime.now(UTC))
    BroadcastSender(db, WebClient(token="xoxb-test", base_url=slack.api_url), SystemClock(),
                    rate=200).run(broadcast_id)  # fmt: skip
    counts = [len(slack.posts(p)) for p in people]
    assert max(counts) == 1  # nobody got a second copy
    # A row caught mid-call (it may or may not have arrived) is flagged, never re-sent blindly.
    assert counts.count(0) <= interrupted
    with db.transaction() as session:
        progress = broadcast_sending.progress(session, broadcast_id)
        assert progress.sent == 60 - interrupted and progress.pending == 0
        assert {error for _who, error in progress.failed} <= {"interrupted while sending"}
        assert session.get(Broadcast, broadcast_id).status == "done"


def test_429s_are_honoured_and_nothing_is_lost(db, clock, example, slack):
    """Sending faster than the stand-in allows: 429 + Retry-After pause everyone, then retry."""
    load(db, example, clock)
    broadcast_id, people = start_broadcast(db, clock.now(), 30)
    slack.workspace_rate_limit("chat.postMessage", 20, burst=5)
    client = WebClient(token="xoxb-test", base_url=slack.api_url)
    progress = BroadcastSender(db, client, clock, rate=60, workers=4).run(broadcast_id)
    assert [len(slack.posts(p)) for p in people] == [1] * 30
    assert any(not c.ok for c in slack.calls_to("chat.postMessage"))  # some were refused
    assert (progress.sent, progress.failed, progress.done) == (30, [], True)
