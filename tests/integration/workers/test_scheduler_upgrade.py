"""Jobs stored before 'The house' name handlers.schedule_jobs: they still fire, once, after the
upgrade; the leader's first sync rewrites them to workers.schedule_jobs."""

from __future__ import annotations

import pickle
from datetime import timedelta

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select, text

from bot.clock import SystemClock
from bot.events.service import upsert_event
from bot.schedule.plan import plan_posts
from bot.settings import Settings
from runtime.bootstrap import build_app
from storage.models import OutboxMessage
from tests.support.schedule import relative_event
from workers.scheduler import SchedulerService

OLD_REF = "handlers.schedule_jobs:run_scheduled_post"
NEW_REF = "workers.schedule_jobs:run_scheduled_post"


@pytest.fixture
def services(db, slack):
    settings = Settings(_env_file=None, database_url=db.url, slack_bot_token="xoxb-test",  # type: ignore[call-arg]
                        slack_signing_secret="secret", slack_api_url=slack.api_url)  # fmt: skip
    _app, services = build_app(settings, db, clock=SystemClock())
    yield services
    services.close()


def _write_jobs_as_the_old_code_did(services, definition, keys: list[str]) -> None:
    """The old sync's add_job, by textual reference, into the app's own job store."""
    posts = {p.key: p for p in plan_posts(definition)}
    old = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(engine=services.db.engine)})
    old.start(paused=True)
    try:
        for key in keys:
            old.add_job(OLD_REF, "date", run_date=posts[key].due, timezone=definition.tz,
                        args=[key], id=key, replace_existing=True, misfire_grace_time=900,
                        coalesce=True)  # fmt: skip
    finally:
        old.shutdown()


def _stored_refs(services) -> dict[str, str]:
    """job id -> the function reference APScheduler stored (read from its table)."""
    with services.db.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, job_state FROM apscheduler_jobs")).all()
    return {job_id: pickle.loads(state)["func"] for job_id, state in rows}


def test_an_old_job_is_rewritten_on_the_first_sync_and_fires_once(services, slack):
    now = services.clock.now()
    definition = relative_event("old-ref", now, [3, 3600])  # one post soon, one in an hour
    with services.db.transaction() as session:
        upsert_event(session, definition, now=now - timedelta(seconds=1))
    soon, later = "reminder:old-ref:punkt-1:0", "reminder:old-ref:punkt-2:0"
    _write_jobs_as_the_old_code_did(services, definition, [soon, later])
    assert _stored_refs(services) == {soon: OLD_REF, later: OLD_REF}

    service = SchedulerService(services, poll_seconds=0.2).start()
    try:
        assert service.became_leader.wait(10)
        refs = _stored_refs(services)
        assert refs[later] == NEW_REF  # rewritten by the first sync, before anything ran
        assert OLD_REF not in refs.values()
        slack.wait_for_posts("#testdag", 1, timeout=30)
        slack.wait_until(lambda: soon not in _stored_refs(services), what="the job done")
    finally:
        service.stop()
    texts = [c.params["text"] for c in slack.posts("#testdag")]
    assert len(texts) == 1 and texts[0].endswith("*Punkt 1*")  # fired once, the hour-away not
    with services.db.transaction() as session:
        recorded = session.scalar(
            select(func.count()).where(OutboxMessage.key == soon, OutboxMessage.status == "sent")
        )
    assert recorded == 1
    # a restart finds the job gone and the post recorded: nothing fires again
    again = SchedulerService(services, poll_seconds=0.2).start()
    assert again.became_leader.wait(10)
    again.stop()
    assert len(slack.posts("#testdag")) == 1
