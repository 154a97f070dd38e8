"""The real scheduler on SQLite: jobs in the database, posted once, restart-safe, misfires."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import SystemClock
from bot.events.service import upsert_event
from bot.schedule.sync import jobs_by_slug, sync_all
from bot.settings import Settings
from runtime.bootstrap import build_app
from storage.models import OutboxMessage
from tests.support.schedule import relative_event
from workers import schedule_jobs
from workers.scheduler import SchedulerService, build_scheduler

JOB = schedule_jobs.run_scheduled_post


@pytest.fixture
def services(db, slack):
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
    )
    _app, services = build_app(settings, db, clock=SystemClock())
    return services


def _load(services, definition, *, ago=timedelta(hours=2)):
    """Load as if some time ago (posts due since then were on the schedule, so can be missed)."""
    with services.db.transaction() as session:
        upsert_event(session, definition, now=services.clock.now() - ago)


def _outbox(db):
    with db.transaction() as session:
        return {m.key: m.status for m in session.scalars(select(OutboxMessage))}


def test_sync_adds_moves_and_removes_exactly_the_affected_jobs(services):
    now = services.clock.now()
    definition = relative_event(
        "sync-ev", now, [3600, 3700, 3800], reminder_minutes=5, closes_in=1800
    )
    grace = timedelta(minutes=15)
    scheduler = build_scheduler(services)
    scheduler.start(paused=True)
    try:
        first = sync_all(scheduler, [definition], job_function=JOB, now=now, grace=grace)
        assert "reminder:sync-ev:punkt-1:5" in first.added and not first.moved
        one, two, _three = definition.agenda
        later = (datetime.combine(definition.date, two.start) + timedelta(minutes=1)).time()
        edited = definition.model_copy(
            update={"agenda": [one, two.model_copy(update={"start": later})]}
        )
        second = sync_all(scheduler, [edited], job_function=JOB, now=now, grace=grace)
        assert second.moved == ["reminder:sync-ev:punkt-2:5"]
        assert second.removed == ["reminder:sync-ev:punkt-3:5"]
        assert second.added == []
        third = sync_all(scheduler, [edited], job_function=JOB, now=now, grace=grace)
        assert (third.added, third.moved, third.removed) == ([], [], [])
        planned = jobs_by_slug(scheduler)["sync-ev"]
    finally:
        scheduler.shutdown()
    # the jobs live in the database: a new scheduler (a restart) finds the same jobs and times
    restarted = build_scheduler(services)
    restarted.start(paused=True)
    try:
        found = jobs_by_slug(restarted)["sync-ev"]
        assert {k: j.next_run_time for k, j in found.items()} == {
            k: j.next_run_time for k, j in planned.items()
        }
    finally:
        restarted.shutdown()


def test_due_reminders_are_posted_once_and_a_restart_posts_nothing_again(services, slack):
    now = services.clock.now()
    _load(services, relative_event("once-ev", now, [2, 3]))
    service = SchedulerService(services, poll_seconds=0.2).start()
    try:
        posts = slack.wait_for_posts("#testdag", 2, timeout=30)
    finally:
        service.stop()
    texts = [c.params["text"] for c in posts if c.channel == "#testdag"]
    assert any("Punkt 1" in t for t in texts) and any("Punkt 2" in t for t in texts)
    status = _outbox(services.db)
    assert status["reminder:once-ev:punkt-1:0"] == "sent"
    assert status["reminder:once-ev:punkt-2:0"] == "sent"
    assert status["morning:once-ev"] == "missed"  # due 30 min before the first item: too late
    notes = [c.params["text"] for c in slack.posts("U0COORD01")]
    assert any("missades" in n and "Morgonhälsningen i kanalen" in n for n in notes)
    # a restart (and a stray second run of the job) finds everything recorded: nothing is re-sent
    sent_before = len(slack.posts("#testdag"))
    again = SchedulerService(services, poll_seconds=0.2).start()
    assert again.became_leader.wait(10)
    again.stop()
    with schedule_jobs.bound_to(services):
        assert schedule_jobs.run_scheduled_post("reminder:once-ev:punkt-1:0").outbox_ids == []
    assert len(slack.posts("#testdag")) == sent_before


def test_a_post_missed_beyond_the_grace_is_recorded_not_sent(services, slack):
    now = services.clock.now()
    # item started 20 minutes ago, reminder 0 min before: 20 min late > 15 min grace
    _load(services, relative_event("late-ev", now, [-20 * 60, -4 * 60]))
    service = SchedulerService(services, poll_seconds=0.2).start()
    try:
        slack.wait_for_posts("#testdag", 1, timeout=30)
    finally:
        service.stop()
    status = _outbox(services.db)
    assert status["reminder:late-ev:punkt-1:0"] == "missed"
    assert status["reminder:late-ev:punkt-2:0"] == "sent"  # 4 min late: within the grace, once
    texts = [c.params["text"] for c in slack.posts("#testdag")]
    assert len(texts) == 1 and texts[0].endswith("*Punkt 2*")


def test_an_event_loaded_while_running_is_picked_up_by_the_resync(services, slack):
    service = SchedulerService(services, poll_seconds=0.2).start()
    try:
        assert service.became_leader.wait(10)
        _load(services, relative_event("late-load", services.clock.now(), [2]), ago=timedelta(0))
        posts = slack.wait_for_posts("#testdag", 1, timeout=30)
    finally:
        service.stop()
    assert posts[0].params["text"].endswith("*Punkt 1*")


def test_posts_due_before_the_event_was_loaded_are_not_reported_missed(services, slack):
    _load(services, relative_event("fresh-ev", services.clock.now(), [2]), ago=timedelta(0))
    service = SchedulerService(services, poll_seconds=0.2).start()
    try:
        slack.wait_for_posts("#testdag", 1, timeout=30)
    finally:
        service.stop()
    status = _outbox(services.db)
    assert "morning:fresh-ev" not in status  # due 30 min before loading: never scheduled
    assert not any("missades" in c.params["text"] for c in slack.posts("U0COORD01"))
