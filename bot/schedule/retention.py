"""Retention: an event's personal data is erased some days after it, keeping anonymous counts."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.events.service import count_by_status, first_choices
from storage.models import (
    Assignment,
    CalendarInvite,
    Event,
    FeedbackAnswer,
    GroupChoice,
    GroupNoteEdit,
    OutboxMessage,
    OutboxStatus,
    Pin,
    Registration,
)


def anonymous_counts(session: Session, event: Event) -> dict[str, object]:
    """What survives the purge: numbers only, nothing that names or identifies a person."""
    statuses = count_by_status(session, event.id)
    choices = first_choices(session, event.id)
    scores = Counter(
        session.scalars(select(FeedbackAnswer.score).where(FeedbackAnswer.event_id == event.id))
    )
    posts = dict(
        session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.event_id == event.id)
            .group_by(OutboxMessage.status)
        ).all()
    )
    return {
        "registrations": statuses,
        "first_choices": choices,
        "feedback_scores": {str(k): v for k, v in sorted(scores.items())},
        "posts": posts,
    }


def purge_event(session: Session, event: Event, *, now: datetime) -> dict[str, object]:
    """Erase registrations, placements, pins, feedback and DMs of the event; keep the counts."""
    if event.purged_at is not None:
        return event.anonymous_counts or {}
    counts = anonymous_counts(session, event)
    session.execute(delete(FeedbackAnswer).where(FeedbackAnswer.event_id == event.id))
    session.execute(delete(CalendarInvite).where(CalendarInvite.event_id == event.id))
    session.execute(delete(GroupNoteEdit).where(GroupNoteEdit.event_id == event.id))
    session.execute(delete(Pin).where(Pin.event_id == event.id))
    session.execute(delete(Assignment).where(Assignment.event_id == event.id))
    session.execute(delete(GroupChoice).where(GroupChoice.event_id == event.id))
    session.execute(delete(Registration).where(Registration.event_id == event.id))
    # DMs are addressed to people (their keys hold user ids): gone. Channel posts may name people
    # (<@U...>): only the once-only record under the key stays, without the text.
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.event_id == event.id,
            or_(
                OutboxMessage.channel.like("U%"),
                OutboxMessage.channel.like("W%"),
                OutboxMessage.status == OutboxStatus.PENDING,
            ),
        )
    )
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.event_id == event.id)
        .values(text="", blocks=None, last_error=None)
    )
    event.registered_count = 0
    event.anonymous_counts = counts
    event.purged_at = now
    event.updated_at = now
    session.flush()
    return counts
