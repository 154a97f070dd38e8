"""Keeping the job store in step with the plans: add or move changed jobs, remove stale ones.

A job's id is its planned post's key and its only arguments are that key, so a re-load of an
edited event touches exactly the jobs whose post changed. Posts already past the misfire grace
are not scheduled again: `overdue` lists them so the caller can record them as missed (once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.events.schema import EventDefinition
from bot.schedule.plan import PlannedPost, plan_posts, slug_of_key

JobFunction = Callable[[str], object]  # a module-level function taking the post's key


def reference_of(function: JobFunction) -> str:
    """How APScheduler stores a job's function ("module:qualname")."""
    return f"{function.__module__}:{function.__qualname__}"


class JobScheduler(Protocol):  # the part of APScheduler's BaseScheduler that sync uses
    def get_jobs(self, jobstore: str | None = None) -> list: ...
    def add_job(self, func, trigger=None, args=None, **kwargs): ...
    def remove_job(self, job_id: str, jobstore: str | None = None) -> None: ...


@dataclass
class SyncResult:
    added: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    overdue: list[PlannedPost] = field(default_factory=list)

    def __iadd__(self, other: SyncResult) -> SyncResult:
        self.added += other.added
        self.moved += other.moved
        self.removed += other.removed
        self.unchanged += other.unchanged
        self.overdue += other.overdue
        return self


def done_predicate(recorded_keys: Iterable[str]) -> Callable[[str], bool]:
    """is_done(job key) from the outbox keys recorded so far (posts, done-markers, misses)."""
    return set(recorded_keys).__contains__


def jobs_by_slug(scheduler: JobScheduler, jobstore: str = "default") -> dict[str, dict]:
    """slug -> {job id: job} of the stored post jobs."""
    result: dict[str, dict] = {}
    for job in scheduler.get_jobs(jobstore):
        if ":" in job.id:
            result.setdefault(slug_of_key(job.id), {})[job.id] = job
    return result


def sync_event(
    scheduler: JobScheduler,
    definition: EventDefinition,
    existing: dict,
    *,
    job_function: JobFunction,
    now: datetime,
    grace: timedelta,
    retention_days: int = 30,
    jobstore: str = "default",
    is_done: Callable[[str], bool] = lambda key: False,
) -> SyncResult:
    """Make the stored jobs of one event match its plan (posts already recorded are left out).

    A stored job whose function reference differs from job_function (written by an older
    layout of the code) is rewritten, so it fires through today's function.
    """
    result = SyncResult()
    reference = reference_of(job_function)
    wanted = {}
    for post in plan_posts(definition, retention_days=retention_days):
        if is_done(post.key):
            continue
        if post.due < now - grace:
            result.overdue.append(post)
        else:
            wanted[post.key] = post
    for job_id in sorted(set(existing) - set(wanted)):
        scheduler.remove_job(job_id, jobstore)
        result.removed.append(job_id)
    for key, post in wanted.items():
        job = existing.get(key)
        if job is not None and job.next_run_time == post.due and job.func_ref == reference:
            result.unchanged += 1
            continue
        scheduler.add_job(
            job_function,
            "date",
            run_date=post.due,
            timezone=definition.tz,
            args=[key],
            id=key,
            name=f"{post.kind} {definition.slug}",
            jobstore=jobstore,
            replace_existing=True,
            misfire_grace_time=int(grace.total_seconds()) or 1,
            coalesce=True,
        )
        (result.moved if job is not None else result.added).append(key)
    return result


def sync_all(
    scheduler: JobScheduler,
    definitions: list[EventDefinition],
    *,
    job_function: JobFunction,
    now: datetime,
    grace: timedelta,
    retention_days: int = 30,
    jobstore: str = "default",
    is_done: Callable[[str], bool] = lambda key: False,
) -> SyncResult:
    """Sync every event; jobs of events that no longer exist are removed."""
    stored = jobs_by_slug(scheduler, jobstore)
    result = SyncResult()
    for definition in definitions:
        result += sync_event(
            scheduler,
            definition,
            stored.pop(definition.slug, {}),
            job_function=job_function,
            now=now,
            grace=grace,
            retention_days=retention_days,
            jobstore=jobstore,
            is_done=is_done,
        )
    for jobs in stored.values():
        for job_id in jobs:
            scheduler.remove_job(job_id, jobstore)
            result.removed.append(job_id)
    return result
