"""Storing answers to the feedback question (one per person and event; a new click replaces)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import DomainError
from bot.events.service import get_event
from storage.models import FeedbackAnswer

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
    """Store (or change) the person's score for the event (and the free text, when given)."""
    if not 1 <= score <= 5:
        raise DomainError("sched.feedback.bad_score", score=score)
    event = get_event(session, slug, for_update=True)
    if event is None or event.purged_at is not None:
        raise DomainError("reg.unknown_event", slug=slug)
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
    """Add (or change) the optional free text of a person who has given a score."""
    event = get_event(session, slug, for_update=True)
    if event is None or event.purged_at is not None:
        raise DomainError("workshop.unknown_event", slug=slug)
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
