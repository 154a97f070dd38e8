"""Carrying out one planned post: render it and record it in the outbox, in one transaction.

Scheduled jobs call `run_post`; it re-reads the event (so an edit since the job was scheduled is
honoured), refuses to post what is later than the grace (recorded as 'missed' instead) and records
every message under a key derived from the planned post's key, so running it twice sends nothing
twice. Sending is the Deliverer's business, after the commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot import outbox, outbox_sending
from bot.events.schema import EventDefinition
from bot.events.service import definition_of, get_event
from bot.schedule.messages import HANDLERS
from bot.schedule.plan import (
    SLACK_SIDE_KINDS,
    Audience,
    PlannedPost,
    find_post,
)
from storage.models import Event, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)


@dataclass
class PostResult:
    outbox_ids: list[int] = field(default_factory=list)
    missed: bool = False
    skipped: str | None = None  # why nothing was done (event gone, post removed by an edit)


MARKER_CHANNEL = "-"  # an outbox row that records a job as done; never sent


def scheduled_events(session: Session) -> list[Event]:
    """Events whose posts the scheduler keeps jobs for: all but the purged ones."""
    return list(session.scalars(select(Event).where(Event.purged_at.is_(None))))


def recorded_keys(session: Session, event_ids: list[int]) -> list[str]:
    """Keys of every post of these events already recorded in the outbox."""
    return list(
        session.scalars(select(OutboxMessage.key).where(OutboxMessage.event_id.in_(event_ids)))
    )


def is_done(session: Session, key: str) -> bool:
    """Whether the job `key` ran: its channel post, its done-marker or its 'missed' record.

    Only the exact key counts: a promoted person's join link (`joinlink:{slug}:{user}`) sent
    before the join-link job ran must not make the job look done for everyone else.
    """
    return bool(session.scalar(select(exists().where(OutboxMessage.key == key))))


def record_marker(
    session: Session, event: Event, post: PlannedPost, *, now: datetime, text: str
) -> None:
    """Record a fan-out job (DMs, group posts, housekeeping) as done under its own key."""
    message_id = outbox.enqueue(
        session,
        key=post.key,
        channel=MARKER_CHANNEL,
        text=text,
        kind=str(post.kind),
        event_id=event.id,
        now=now,
    )
    if message_id is not None:
        outbox_sending.finish(session, message_id, status=OutboxStatus.SENT, now=now)


def record_missed(session: Session, event: Event, post: PlannedPost, *, now: datetime) -> bool:
    """A post that was due too long ago: recorded as 'missed' for the coordinators, never sent."""
    if is_done(session, post.key):
        return False
    if post.due < event.created_at:  # loaded after this moment: it never was on the schedule
        return False
    late = now - post.due
    message_id = outbox.enqueue(
        session,
        key=post.key,
        channel=post.channel or str(post.audience),
        kind=str(post.kind),
        text=f"missed ({int(late.total_seconds() // 60)} min late)",
        event_id=event.id,
        now=now,
        due_at=post.due,
    )
    if message_id is None:
        return False
    outbox_sending.finish(
        session,
        message_id,
        status=OutboxStatus.MISSED,
        now=now,
        error=f"due {post.due.isoformat()}, {late} late",
    )
    logger.warning("Post %s missed (%s late)", post.key, late)
    return True


@dataclass
class Due:
    """A planned post that is due now and not yet done."""

    event: Event
    definition: EventDefinition
    post: PlannedPost


def prepare(
    session: Session, *, key: str, now: datetime, grace: timedelta, retention_days: int = 30
) -> Due | PostResult:
    """The post `key` if it should run now; else why not (gone, edited away, done, missed)."""
    from bot.schedule.plan import slug_of_key

    event = get_event(session, slug_of_key(key))
    if event is None or event.purged_at is not None:
        return PostResult(skipped="event gone")
    definition = definition_of(event)
    post = find_post(definition, key, retention_days=retention_days)
    if post is None:
        return PostResult(skipped="no longer planned")
    if is_done(session, key):
        return PostResult(skipped="already done")
    if now - post.due > grace:
        return PostResult(missed=record_missed(session, event, post, now=now))
    return Due(event, definition, post)


def run_post(
    session: Session, *, key: str, now: datetime, grace: timedelta, retention_days: int = 30
) -> PostResult:
    """Render and record the planned post `key` of its event (once, whatever happens)."""
    due = prepare(session, key=key, now=now, grace=grace, retention_days=retention_days)
    if isinstance(due, PostResult):
        return due
    event, definition, post = due.event, due.definition, due.post
    if post.kind in SLACK_SIDE_KINDS:
        raise ValueError(f"{key} needs Slack calls: run it with workers.group_channels")
    handler = HANDLERS[post.kind]
    produced = handler(session, event, definition, post, now)
    ids = [i for i in produced if isinstance(i, int)]  # recorded already (join_link_for)
    messages = [m for m in produced if isinstance(m, dict)]
    ids += outbox.enqueue_many(session, messages, now=now, kind=str(post.kind), event_id=event.id)
    if post.audience != Audience.CHANNEL:
        record_marker(session, event, post, now=now, text=f"{len(ids)} messages")
    return PostResult(ids)


def record_missed_key(
    session: Session, *, key: str, now: datetime, retention_days: int = 30
) -> bool:
    """The scheduler skipped job `key` (past its grace): record its post as missed."""
    from bot.schedule.plan import slug_of_key

    event = get_event(session, slug_of_key(key))
    if event is None:
        return False
    post = find_post(definition_of(event), key, retention_days=retention_days)
    return post is not None and record_missed(session, event, post, now=now)
