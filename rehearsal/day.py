"""Driving the real scheduler's jobs on a simulated clock (the rehearsal's day).

The jobs are written by the production sync code (`bot.schedule.sync.sync_all`) into APScheduler's
SQLAlchemy job store in the rehearsal's own database, through a scheduler that is started paused
and never resumed: APScheduler's loop sleeps on the wall clock, which a rehearsal of several weeks
cannot do in seconds. Instead `run_until` takes the job with the earliest next run time from that
store, sets the SimulatedClock to it, calls the job's stored function with its stored arguments
(the same `workers.schedule_jobs.run_scheduled_post` the live scheduler calls), and removes the
fired date job as APScheduler does after a run. The job sends through the same Deliverer, to the
in-process Slack stand-in, so each post is stamped with its simulated time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.events import (
    EVENT_ALL_JOBS_REMOVED,
    EVENT_JOB_ADDED,
    EVENT_JOB_MODIFIED,
    EVENT_JOB_REMOVED,
)
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import select

from bot.clock import SimulatedClock
from bot.events.service import definition_of
from bot.schedule.sync import SyncResult, sync_all
from storage.models import Event
from workers import schedule_jobs
from workers.scheduler import build_scheduler, stop_scheduler
from workers.services import Services


class SchedulingClock(SimulatedClock):
    """A SimulatedClock that lets the scheduled jobs run whenever time is moved forward.

    The rehearsal's registration phase moves the clock from one participant to the next; before
    the clock passes a job's due time, `on_advance` (the ScheduleDriver) fires that job at its
    own moment. So deadline reminders fall between registrations, with the seats left then.
    """

    def __init__(self, start: datetime):
        super().__init__(start)
        self.on_advance: Callable[[datetime], None] | None = None

    def set(self, moment: datetime) -> None:
        hook, self.on_advance = self.on_advance, None  # jobs move the clock themselves
        try:
            if hook is not None and moment > self.now():
                hook(moment)
        finally:
            self.on_advance = hook
        super().set(moment)

    def advance(self, delta: timedelta) -> None:
        self.set(self.now() + delta)


class ScheduleDriver:
    """`with ScheduleDriver(services, clock) as day: day.run_until(moment)`."""

    def __init__(self, services: Services, clock: SimulatedClock):
        self.services = services
        self.clock = clock
        self.store = SQLAlchemyJobStore(engine=services.db.engine)
        self.scheduler = build_scheduler(services, workers=1, store=self.store)
        self.fired: list[tuple[datetime, str]] = []
        # The earliest next run time in the store, kept until a job is added or removed: the
        # clock asks before every move (each registration), and the jobs change far less often.
        self._next: datetime | None = None
        self._next_known = False
        changes = EVENT_JOB_ADDED | EVENT_JOB_MODIFIED | EVENT_JOB_REMOVED | EVENT_ALL_JOBS_REMOVED
        self.scheduler.add_listener(self._forget_next, changes)

    def _forget_next(self, _event: object = None) -> None:
        self._next_known = False

    def _next_run_time(self) -> datetime | None:
        if not self._next_known:
            self._next = self.store.get_next_run_time()
            self._next_known = True
        return self._next

    def __enter__(self) -> ScheduleDriver:
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
            job_function=schedule_jobs.run_scheduled_post,
            now=self.clock.now(),
            grace=schedule_jobs.grace_of(self.services),
            retention_days=self.services.settings.retention_days,
        )

    def next_due(self) -> datetime | None:
        jobs = self.scheduler.get_jobs("default")
        return min((j.next_run_time for j in jobs), default=None)

    def run_until(
        self, moment: datetime, *, after_each: Callable[[str], None] | None = None
    ) -> int:
        """Fire, in order, every job due up to `moment`; the clock ends at `moment`."""
        count = 0
        while True:
            upcoming = self._next_run_time()
            if upcoming is None or upcoming > moment:
                break
            # the store's own due query, as APScheduler's loop uses it, up to the next run time
            # only: those jobs are unpickled, not every one due before `moment` (the day's ~200
            # jobs once per fired job)
            due = self.store.get_due_jobs(upcoming) or self.store.get_due_jobs(moment)
            if not due:
                break
            job = min(due, key=lambda j: (j.next_run_time, j.id))
            # straight to SimulatedClock.set: a SchedulingClock's hook would re-enter run_until
            SimulatedClock.set(self.clock, max(job.next_run_time, self.clock.now()))
            self.scheduler.remove_job(job.id, "default")  # a date job runs once
            with schedule_jobs.bound_to(self.services):
                job.func(*job.args, **job.kwargs)
            self.services.deliverer.deliver_due()  # the live scheduler's outbox sweep
            self.fired.append((job.next_run_time, job.id))
            if after_each:
                after_each(job.id)
            count += 1
        if moment > self.clock.now():
            SimulatedClock.set(self.clock, moment)
        return count


# ----- the rehearsal's phases (rehearsal.run.PHASES) -----
def _is_rehearsal(rehearsal) -> None:
    assert isinstance(rehearsal.clock, SchedulingClock), "Rehearsal must use a SchedulingClock"


def schedule_phase(rehearsal) -> None:
    """Before registration opens: sync the jobs and let the clock fire them as it moves."""
    _is_rehearsal(rehearsal)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # the timeline says it all
    driver = ScheduleDriver(rehearsal.services, rehearsal.clock).__enter__()
    rehearsal.schedule_driver = driver
    for user in rehearsal.definition.coordinators.users:  # name their DMs in the timeline
        rehearsal.names.setdefault(user, rehearsal.words("coordinator_named", user=user))
    result = driver.sync()
    rehearsal.say(rehearsal.words("scheduler"), rehearsal.words("jobs", n=len(result.added)))

    def settle(_key: str) -> None:
        rehearsal._settle()  # log what the job posted, at the job's own moment

    rehearsal.clock.on_advance = lambda moment: driver.run_until(moment, after_each=settle)


def day_phase(rehearsal) -> None:
    """After registration: a coordinator publishes the draft (and takes Zoom's pre-assignment
    file), then the day runs: the groups write notes, the regroups summarise them, feedback
    comes in, the documentation goes out."""
    from bot.breakouts import service as breakouts
    from bot.errors import DomainError
    from rehearsal.partners import zoom_phase
    from rehearsal.visits import feedback_phase
    from rehearsal.workshop import add_comments, write_notes

    definition = rehearsal.definition
    driver: ScheduleDriver = rehearsal.schedule_driver
    coordinator = next(iter(definition.coordinators.users), "samordnare")
    try:
        with rehearsal.db.transaction() as session:
            published = breakouts.publish(
                session, slug=definition.slug, by=coordinator, now=rehearsal.clock.now()
            )
            version = published.version
        rehearsal.say(rehearsal.words("coordinator"), rehearsal.words("publishes", version=version))
        zoom_phase(rehearsal)  # before the breakouts: Zoom's rooms pre-assigned
    except DomainError:
        rehearsal.say(rehearsal.words("coordinator"), rehearsal.words("nothing_to_publish"))
    feedback = definition.ends_at + timedelta(minutes=definition.schedule.feedback_after_minutes)
    documentation = feedback + timedelta(minutes=definition.follow_up.documentation_after_minutes)
    breakouts_seen: list[str] = []

    def after_each(key: str) -> None:
        rehearsal._settle()
        if key.startswith("breakout:"):  # the groups talk, and some write their notes
            write_notes(rehearsal, len(breakouts_seen))
            breakouts_seen.append(key)
        elif key.startswith("feedback:"):  # scores, then a few comments, before the documentation
            add_comments(rehearsal, feedback_phase(rehearsal))

    try:
        driver.run_until(feedback, after_each=after_each)
        driver.run_until(documentation, after_each=lambda _key: rehearsal._settle())
    finally:
        rehearsal.clock.on_advance = None
        driver.__exit__(None, None, None)
