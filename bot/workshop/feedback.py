"""The feedback results coordinators see: counts per score, the mean and the comments."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Event, FeedbackAnswer

SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class FeedbackResults:
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))
    comments: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        if not self.total:
            return None
        return sum(score * n for score, n in self.counts.items()) / self.total


def feedback_results(session: Session, event: Event) -> FeedbackResults:
    """Every answer of the event, counted; comments in the order they were given."""
    answers = session.scalars(
        select(FeedbackAnswer)
        .where(FeedbackAnswer.event_id == event.id)
        .order_by(FeedbackAnswer.answered_at, FeedbackAnswer.id)
    ).all()
    counts = dict.fromkeys(SCORES, 0)
    for answer in answers:
        counts[answer.score] += 1
    comments = [a.comment.strip() for a in answers if a.comment and a.comment.strip()]
    return FeedbackResults(counts, comments)
