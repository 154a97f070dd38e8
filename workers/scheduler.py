"""The scheduler in the running app: leader election, APScheduler on the database, resyncs.

Every instance runs a small watcher thread. The instance holding the leader lock runs one
APScheduler BackgroundScheduler whose jobs live in the database (SQLAlchemyJobStore), syncs them
from the event plans at start, and re-syncs any event whose definition changed (a re-load with
`python app.py event load`, which itself never touches the job store: a job store must have one
scheduler). Followers retry the lock every `poll_seconds` and take over when the leader dies.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, timedelta

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING

from bot import outbox_sending
from bot.events.service import definition_of, get_event
from bot.schedule import posts
from bot.schedule.faults import report_missed
from bot.schedule.sync import SyncResult, done_predicate, jobs_by_slug, sync_all, sync_event
from storage.leader import LeaderLock
from storage.models import Event
from workers import schedule_jobs
from workers.services import Services

logger = logging.getLogger(__name__)
INTERRUPTED_AFTER = timedelta(minutes=5)  # a 'sending' row older than this was cut off by a crash
SWEEP_SECONDS = 30
# A full sync now and then puts back a job that ran but failed (its date job is gone, its post
# not recorded) while still within the grace; otherwise only changed events are re-synced.
FULL_SYNC_SECONDS = 300


class _Scheduler(BackgroundScheduler):
    """BackgroundScheduler that never processes jobs unless running.

    APScheduler 3's shutdown() sets STOPPED and wakes the loop, which then makes one more pass
    over due jobs (its pause check is only for PAUSED) and submits them to executors already shut
    down: a date job due at that moment would be dropped. Stepping down must not lose jobs.
    """

    def _process_jobs(self):
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()


def stop_scheduler(scheduler: BackgroundScheduler) -> None:
    """Pause, let a pass over due jobs finish (it holds the job stores' lock), then shut down.

    shutdown() alone can land in the middle of a pass, whose remove_job then fails because the
    scheduler already counts as stopped.
    """
    scheduler.pause()
    with scheduler._jobstores_lock:  # no public way to wait for the current pass
        pass
    scheduler.shutdown(wait=True)


def build_scheduler(
    services: Services, *, workers: int = 20, store: SQLAlchemyJobStore | None = None
) -> BackgroundScheduler:
    """APScheduler with its jobs in our database and an explicit grace and coalescing."""
    grace = int(schedule_jobs.grace_of(services).total_seconds()) or 1
    scheduler = _Scheduler(
        jobstores={
            "default": store or SQLAlchemyJobStore(engine=services.db.engine),
            "memory": MemoryJobStore(),  # housekeeping that need not survive a restart
        },
        executors={
            "default": ThreadPoolExecutor(
                workers,
                pool_kwargs={"initializer": schedule_jobs.bind_thread, "initargs": (services,)},
            )
        },
        job_defaults={"misfire_grace_time": grace, "coalesce": True, "max_instances": 1},
        timezone=UTC,
    )

    def on_missed(event: JobExecutionEvent) -> None:
        if event.jobstore == "default":
            schedule_jobs.record_missed(services, event.job_id)

    scheduler.add_listener(on_missed, EVENT_JOB_MISSED)
    return scheduler


def _events(services: Services) -> list[Event]:
    with services.db.transaction() as session:
        return posts.scheduled_events(session)


def _recorded(services: Services, events: list[Event]) -> Callable[[str], bool]:
    """Which posts of these events are recorded in the outbox already."""
    with services.db.transaction() as session:
        return done_predicate(posts.recorded_keys(session, [e.id for e in events]))


def record_overdue(services: Services, overdue: list) -> int:
    """Posts past their grace when (re)scheduled: recorded as missed, never sent; the
    coordinators get one note per event listing them."""
    now = services.clock.now()
    missed: dict[str, list[str]] = {}
    with services.db.transaction() as session:
        for post in overdue:
            if posts.record_missed_key(
                session, key=post.key, now=now, retention_days=services.settings.retention_days
            ):
                missed.setdefault(post.slug, []).append(post.key)
        for slug, keys in missed.items():
            event = get_event(session, slug)
            if event is not None:
                report_missed(session, event, keys, now=now)
    if missed:
        services.deliverer.deliver_due()
    return sum(len(keys) for keys in missed.values())


class SchedulerService:
    """start() / stop(); runs the scheduler only while this instance is the leader."""

    def __init__(self, services: Services, *, poll_seconds: float = 5.0):
        self.services = services
        self.poll_seconds = poll_seconds
        self.lock = LeaderLock(services.db)
        self.scheduler: BackgroundScheduler | None = None
        self._versions: dict[str, tuple[int, object]] = {}
        self._last_full_sync = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="scheduler-watch", daemon=True)
        self.became_leader = threading.Event()

    def start(self) -> SchedulerService:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._step_down()
        self.lock.release()

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                if self.scheduler is None:
                    if self.lock.try_acquire():
                        self._lead()
                elif not self.lock.still_held():
                    self._step_down()
                elif time.monotonic() - self._last_full_sync > FULL_SYNC_SECONDS:
                    self.resync(initial=True)  # repairs a job whose run failed, say
                else:
                    self.resync()
            except Exception:
                logger.exception("Scheduler watcher failed; retrying")
            self._stop.wait(self.poll_seconds)

    def _lead(self) -> None:
        services = self.services
        now = services.clock.now()
        with services.db.transaction() as session:
            interrupted = outbox_sending.mark_interrupted(
                session, claimed_before=now - INTERRUPTED_AFTER
            )
        if interrupted:
            logger.warning("%s messages were cut off mid-send and are marked unknown", interrupted)
        scheduler = build_scheduler(services)
        scheduler.start(paused=True)
        self.scheduler = scheduler
        self._versions.clear()
        try:
            self.resync(initial=True)
        except Exception:
            self._step_down()  # keep the lock; the next poll tries again from the start
            raise
        scheduler.add_job(
            schedule_jobs.deliver_due,
            "interval",
            seconds=SWEEP_SECONDS,
            id="outbox-sweep",
            jobstore="memory",
            replace_existing=True,
        )
        scheduler.resume()
        logger.info("This instance leads the scheduler (%s jobs)", len(scheduler.get_jobs()))
        self.became_leader.set()

    def resync(self, *, initial: bool = False) -> None:
        """Sync the jobs of every event whose definition changed since the last sync."""
        if self.scheduler is None:
            return
        services = self.services
        grace = schedule_jobs.grace_of(services)
        events = _events(services)
        now = services.clock.now()
        retention = services.settings.retention_days
        if initial:
            is_done = _recorded(services, events)
            definitions = [definition_of(e) for e in events]
            result = sync_all(
                self.scheduler,
                definitions,
                job_function=schedule_jobs.run_scheduled_post,
                now=now,
                grace=grace,
                retention_days=retention,
                is_done=is_done,
            )
        else:
            changed = [e for e in events if self._versions.get(e.slug) != (e.version, e.updated_at)]
            if not changed:
                return
            stored = jobs_by_slug(self.scheduler)
            is_done = _recorded(services, changed)
            result = SyncResult()
            for event in changed:
                result += sync_event(
                    self.scheduler,
                    definition_of(event),
                    stored.get(event.slug, {}),
                    job_function=schedule_jobs.run_scheduled_post,
                    now=now,
                    grace=grace,
                    retention_days=retention,
                    is_done=is_done,
                )
        self._versions = {e.slug: (e.version, e.updated_at) for e in events}
        if initial:
            self._last_full_sync = time.monotonic()
        missed = record_overdue(services, result.overdue)
        logger.info(
            "Jobs synced: %s added, %s moved, %s removed, %s unchanged, %s missed",
            len(result.added),
            len(result.moved),
            len(result.removed),
            result.unchanged,
            missed,
        )

    def _step_down(self) -> None:
        scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None:
            stop_scheduler(scheduler)
            logger.info("Scheduler stopped on this instance")


def start(services: Services) -> Callable[[], None]:
    """runtime.BACKGROUND entry: the scheduler when SCHEDULER_ENABLED (the default)."""
    if not services.settings.scheduler_enabled:
        return lambda: None
    service = SchedulerService(services, poll_seconds=services.settings.leader_poll_seconds)
    service.start()
    return service.stop
