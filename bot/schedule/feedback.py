"""Storing answers to the feedback question (one per person and event; a new click replaces)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import DomainError
from bot.events.service import get_event
from storage.models import Event, FeedbackAnswer, Registration, RegistrationStatus

MAX_COMMENT = 2000


def record_feedback(
    session: Session,
    *,
    slug: str,
    user_id: str,
    score: int,
    now: datetime,
    comment: str | None = None,
) -> FeedbackAnswer:
    """Store (or change) the person's score (and the free text, when given): a registered
    participant, once the day has begun."""
    if not 1 <= score <= 5:
        raise DomainError("sched.feedback.bad_score", score=score)
    event = _participants_event(session, slug=slug, user_id=user_id, now=now)
    answer = session.scalars(
        select(FeedbackAnswer).where(
            FeedbackAnswer.event_id == event.id, FeedbackAnswer.user_id == user_id
        )
    ).one_or_none()
    if answer is None:
        answer = FeedbackAnswer(event_id=event.id, user_id=user_id, score=score, answered_at=now)
        session.add(answer)
    else:
        answer.score, answer.answered_at = score, now
    if comment is not None:  # a later score click keeps the comment already written
        answer.comment = comment.strip()[:MAX_COMMENT] or None
    session.flush()
    return answer


def record_comment(
    session: Session, *, slug: str, user_id: str, comment: str, now: datetime
) -> FeedbackAnswer:
    """Add (or change) the optional free text of a person who has given a score (the same rule:
    a registered participant, once the day has begun)."""
    event = _participants_event(session, slug=slug, user_id=user_id, now=now)
    answer = session.scalars(
        select(FeedbackAnswer).where(
            FeedbackAnswer.event_id == event.id, FeedbackAnswer.user_id == user_id
        )
    ).one_or_none()
    if answer is None:
        raise DomainError("workshop.feedback.score_first")
    text = comment.strip()[:MAX_COMMENT]
    if not text:
        raise DomainError("workshop.feedback.empty")
    answer.comment, answer.answered_at = text, now
    session.flush()
    return answer


def _participants_event(session: Session, *, slug: str, user_id: str, now: datetime) -> Event:
    """The event, locked, if `user_id` may answer its feedback: registered, the day begun."""
    event = get_event(session, slug, for_update=True)
    if event is None or event.purged_at is not None:
        raise DomainError("bad_input.feedback.unknown_event")
    if now < event.starts_at:
        raise DomainError("bad_input.feedback.too_early")
    registered = session.scalar(
        select(Registration.id).where(
            Registration.event_id == event.id,
            Registration.user_id == user_id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    if registered is None:
        raise DomainError("bad_input.feedback.not_a_participant")
    return event
