"""What the coordinators see beforehand: every planned post with its time and what became of it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.events.service import definition_of, get_event
from bot.schedule.plan import PlannedPost, plan_posts
from storage.models import OutboxMessage


@dataclass(frozen=True)
class PostStatus:
    post: PlannedPost
    statuses: dict[str, int]  # outbox status -> messages (the post itself or its fan-out)
    done: bool = False  # a fan-out job ran (it may have had nobody to write to)

    @property
    def summary(self) -> str:
        if not self.statuses:
            return "done" if self.done else "planned"
        return ", ".join(f"{status} {n}" for status, n in sorted(self.statuses.items()))


def schedule_overview(
    session: Session, *, slug: str, retention_days: int = 30, now: datetime | None = None
) -> list[PostStatus]:
    """The event's plan with the outbox status of each post (None if the event is unknown)."""
    event = get_event(session, slug)
    if event is None:
        return []
    definition = definition_of(event)
    rows = session.execute(
        select(OutboxMessage.key, OutboxMessage.status, OutboxMessage.channel).where(
            OutboxMessage.event_id == event.id
        )
    ).all()
    by_post: dict[str, Counter[str]] = {}
    markers = {key for key, _status, channel in rows if channel == "-"}
    for key, status, channel in rows:
        if channel == "-":
            continue
        parts = key.split(":")
        for n in range(2, len(parts) + 1):
            by_post.setdefault(":".join(parts[:n]), Counter())[status] += 1
    return [
        PostStatus(post, dict(by_post.get(post.key, {})), post.key in markers)
        for post in plan_posts(definition, now, retention_days=retention_days)
    ]
