"""The rehearsal's printout: every post in the order it went out, and a summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.events.service import get_event
from bot.schedule.audience import placements_of
from storage.models import OutboxMessage


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime  # when it was sent (or due, if it was not sent)
    channel: str
    kind: str
    status: str
    text: str

    @property
    def first_line(self) -> str:
        return self.text.strip().splitlines()[0] if self.text.strip() else ""


def timeline(session: Session, *, slug: str) -> list[TimelineEntry]:
    """The event's outbox in the order things happened."""
    event = get_event(session, slug)
    if event is None:
        return []
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.event_id == event.id, OutboxMessage.channel != "-")  # not markers
        .order_by(OutboxMessage.id)
    )
    entries = [
        TimelineEntry(m.sent_at or m.due_at, m.channel, m.kind, m.status, m.text) for m in rows
    ]
    return sorted(entries, key=lambda e: e.at)  # stable: same moment keeps the outbox order


def format_timeline(
    entries: list[TimelineEntry],
    tz: str,
    *,
    at: datetime | None = None,
    window: timedelta = timedelta(minutes=30),
) -> list[str]:
    """'2021-04-22 08:10  #channel  text' lines (only those within `window` of `at`, if given)."""
    zone = ZoneInfo(tz)
    lines = []
    for entry in entries:
        if at is not None and abs(entry.at - at) > window:
            continue
        local = entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        flag = "" if entry.status == "sent" else f" [{entry.status}]"
        lines.append(f"{local}  {entry.channel:28} {entry.first_line[:110]}{flag}")
    return lines


@dataclass(frozen=True)
class Summary:
    """What went out, counted: posts per kind (in the order each kind first went out), per
    status, and the published groups' sizes by group key (empty when none is published)."""

    kinds: Counter[str]
    statuses: Counter[str]
    groups: Counter[str]


def summary(session: Session, *, slug: str, entries: list[TimelineEntry]) -> Summary:
    """Posts per kind and status, and the published groups' sizes."""
    event = get_event(session, slug)
    assert event is not None
    return Summary(
        kinds=Counter(e.kind for e in entries),
        statuses=Counter(e.status for e in entries),
        groups=Counter(placements_of(session, event).values()),
    )
