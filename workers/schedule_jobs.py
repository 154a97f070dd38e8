"""The scheduler's job functions: module-level, with only the post key as argument.

APScheduler stores jobs by reference ('workers.schedule_jobs:run_scheduled_post') with their
arguments pickled in the database, so a job cannot carry the services. The scheduler's own worker
threads carry them instead: `build_scheduler` starts its pool with `bind_thread` as the thread
initializer, so a job finds the services of the scheduler that runs it, and nothing else does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from bot.events.service import get_event
from bot.schedule import posts
from bot.schedule.faults import report_missed
from bot.schedule.plan import SLACK_SIDE_KINDS, PostKind, slug_of_key
from workers.services import Services

logger = logging.getLogger(__name__)

_thread = threading.local()  # per worker thread of a scheduler's pool: that scheduler's services


def bind_thread(services: Services) -> None:
    """Thread initializer of a scheduler's pool: the jobs on this thread use these services."""
    _thread.services = services


@contextmanager
def bound_to(services: Services) -> Iterator[None]:
    """Run job functions on the current thread with these services (the rehearsal, tests)."""
    previous = getattr(_thread, "services", None)
    _thread.services = services
    try:
        yield
    finally:
        _thread.services = previous


def bound() -> Services:
    services = getattr(_thread, "services", None)
    if services is None:
        raise RuntimeError("a scheduler job ran outside a scheduler's thread (see bind_thread)")
    return services


def grace_of(services: Services) -> timedelta:
    return timedelta(minutes=services.settings.misfire_grace_minutes)


def run_scheduled_post(key: str) -> posts.PostResult:
    """Record the planned post `key` in the outbox (once) and send what it recorded."""
    services = bound()
    if key.split(":")[0] == PostKind.DOCUMENTATION:  # a file upload
        from workers.documentation import run_documentation_job

        return run_documentation_job(services, key)
    if key.split(":")[0] in SLACK_SIDE_KINDS:  # channel housekeeping needs Slack calls
        from workers.group_channels import run_channel_job

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


def record_missed(services: Services, key: str) -> None:
    """APScheduler skipped the job (it was later than the grace): record the post as missed."""
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
