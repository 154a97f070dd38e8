"""Driving the real scheduler's jobs on a simulated clock (the rehearsal's day).

The jobs are written by the production sync code (`bot.schedule.sync.sync_all`) into APScheduler's
SQLAlchemy job store in the rehearsal's own database, through a scheduler that is started paused
and never resumed: APScheduler's loop sleeps on the wall clock, which a rehearsal of several weeks
cannot do in seconds. Instead `run_until` takes the job with the earliest next run time from that
store, sets the SimulatedClock to it, calls the job's stored function with its stored arguments
(the same `handlers.schedule_jobs.run_scheduled_post` the live scheduler calls), and removes the
fired date job as APScheduler does after a run. The job sends through the same Deliverer, to the
in-process Slack stand-in, so each post is stamped with its simulated time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from bot.clock import SimulatedClock
from bot.events.service import definition_of
from bot.schedule.sync import SyncResult, sync_all
from handlers import schedule_jobs
from handlers.scheduler import build_scheduler, stop_scheduler
from handlers.services import Services
from storage.models import Event


class ScheduleDriver:
    """`with ScheduleDriver(services, clock) as day: day.run_until(moment)`."""

    def __init__(self, services: Services, clock: SimulatedClock):
        self.services = services
        self.clock = clock
        self.scheduler = build_scheduler(services, workers=1)
        self.fired: list[tuple[datetime, str]] = []

    def __enter__(self) -> ScheduleDriver:
        schedule_jobs.bind(self.services)
        self.scheduler.start(paused=True)
        return self

    def __exit__(self, *exc: object) -> None:
        stop_scheduler(self.scheduler)

    def sync(self) -> SyncResult:
        """The production sync, from the events in the database."""
        with self.services.db.transaction() as session:
            definitions = [definition_of(e) for e in session.scalars(select(Event))]
        return sync_all(
            self.scheduler,
            definitions,
            now=self.clock.now(),
            grace=schedule_jobs.grace_of(self.services),
            retention_days=self.services.settings.retention_days,
        )

    def next_due(self) -> datetime | None:
        jobs = self.scheduler.get_jobs("default")
        return min((j.next_run_time for j in jobs), default=None)

    def run_until(
        self, moment: datetime, *, before_each: Callable[[datetime], None] | None = None
    ) -> int:
        """Fire, in order, every job due up to `moment`; the clock ends at `moment`."""
        count = 0
        while True:
            jobs = sorted(self.scheduler.get_jobs("default"), key=lambda j: (j.next_run_time, j.id))
            if not jobs or jobs[0].next_run_time > moment:
                break
            job = jobs[0]
            self.clock.set(max(job.next_run_time, self.clock.now()))
            if before_each:
                before_each(job.next_run_time)
            self.scheduler.remove_job(job.id, "default")  # a date job runs once
            job.func(*job.args, **job.kwargs)
            self.services.deliverer.deliver_due()  # the live scheduler's outbox sweep
            self.fired.append((job.next_run_time, job.id))
            count += 1
        if moment > self.clock.now():
            self.clock.set(moment)
        return count
