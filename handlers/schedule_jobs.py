"""The scheduler's job functions: module-level, with only the post key as argument.

APScheduler stores jobs by reference ('handlers.schedule_jobs:run_scheduled_post') with their
arguments pickled in the database, so a job cannot carry the services. The process that runs the
scheduler binds them here once (`bind`), and every job finds them at run time.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.events.service import get_event
from bot.schedule import posts
from bot.schedule.faults import report_missed
from bot.schedule.plan import SLACK_SIDE_KINDS, slug_of_key
from handlers.services import Services

logger = logging.getLogger(__name__)

_bound: Services | None = None


def bind(services: Services) -> None:
    """Hand the job functions the services of this process (the leader's)."""
    global _bound
    _bound = services


def bound() -> Services:
    if _bound is None:
        raise RuntimeError("scheduler jobs ran before handlers.schedule_jobs.bind(services)")
    return _bound


def grace_of(services: Services) -> timedelta:
    return timedelta(minutes=services.settings.misfire_grace_minutes)


def run_scheduled_post(key: str) -> posts.PostResult:
    """Record the planned post `key` in the outbox (once) and send what it recorded."""
    services = bound()
    if key.split(":")[0] in SLACK_SIDE_KINDS:  # channel housekeeping needs Slack calls
        from handlers.group_channels import run_channel_job

        return run_channel_job(services, key)
    with services.db.transaction() as session:
        result = posts.run_post(
            session,
            key=key,
            now=services.clock.now(),
            grace=grace_of(services),
            retention_days=services.settings.retention_days,
        )
    if result.skipped:
        logger.info("Job %s: nothing to do (%s)", key, result.skipped)
    services.deliverer.deliver(result.outbox_ids)
    return result


def record_missed(key: str) -> None:
    """APScheduler skipped the job (it was later than the grace): record the post as missed."""
    services = bound()
    now = services.clock.now()
    with services.db.transaction() as session:
        recorded = posts.record_missed_key(
            session, key=key, now=now, retention_days=services.settings.retention_days
        )
        event = get_event(session, slug_of_key(key)) if recorded else None
        if event is not None:
            report_missed(session, event, [key], now=now)
    services.deliverer.deliver_due()


def deliver_due() -> None:
    """Send pending messages whose time has come (retries, anything a crash left behind)."""
    bound().deliverer.deliver_due()
