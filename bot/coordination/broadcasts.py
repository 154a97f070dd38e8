"""Broadcasts' lifecycle: draft, validate, confirm, schedule, change and cancel, and which are due.

A broadcast moves draft -> scheduled -> sending -> done, or scheduled -> cancelled; `set_status`
makes such a move atomically. Sending it (its outbox rows, progress, finish, retry) is
`bot.coordination.broadcast_sending`, which builds on this module (never the other way round).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from bot.coordination.audience import check_audiences, resolve
from bot.errors import DomainError
from bot.storable import unstorable
from storage.models import Broadcast, BroadcastStatus, Event

MAX_TEXT = 3000  # one Block Kit section in the preview; Slack advises < 4000 for chat.postMessage
PAST_GRACE = timedelta(minutes=1)  # a time picked "now" in the modal is not "in the past"


def validate(
    event: Event, *, text: str, audiences: list[str], send_at: datetime | None, now: datetime
) -> tuple[str, list[str]]:
    """Clean text and audiences, or a DomainError naming what is wrong."""
    text = (text or "").strip()
    if not text:
        raise DomainError("coord.err.empty")
    if len(text) > MAX_TEXT:
        raise DomainError("coord.err.too_long", max=MAX_TEXT, length=len(text))
    if unstorable(text):
        raise DomainError("coord.err.unstorable")
    if send_at is not None and send_at < now - PAST_GRACE:
        raise DomainError("coord.err.past")
    return text, check_audiences(event, audiences)


def save_draft(
    session: Session,
    *,
    event: Event,
    author: str,
    text: str,
    audiences: list[str],
    send_at: datetime | None,
    lang: str,
    now: datetime,
    replaces_id: int | None = None,
) -> Broadcast:
    """Store a validated draft (the preview refers to it by id); refuses nobody as audience."""
    text, audiences = validate(event, text=text, audiences=audiences, send_at=send_at, now=now)
    if resolve(session, event, audiences).count == 0:
        raise DomainError("coord.err.nobody")
    if replaces_id is not None:
        scheduled(session, replaces_id, event_id=event.id)
    broadcast = Broadcast(
        event_id=event.id, author=author, text=text, audiences=audiences, send_at=send_at,
        status=BroadcastStatus.DRAFT, lang=lang, replaces_id=replaces_id, total=0,
        created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(broadcast)
    session.flush()
    return broadcast


def get(session: Session, broadcast_id: int) -> Broadcast:
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise DomainError("coord.err.no_broadcast")
    return broadcast


def scheduled(session: Session, broadcast_id: int, *, event_id: int | None = None) -> Broadcast:
    """A broadcast that is still waiting for its time (else: already sent or cancelled)."""
    broadcast = get(session, broadcast_id)
    if broadcast.status != BroadcastStatus.SCHEDULED or event_id not in (None, broadcast.event_id):
        raise DomainError("coord.err.not_scheduled")
    return broadcast


def set_status(session: Session, broadcast_id: int, old: str, new: str, now: datetime) -> bool:
    """Move one broadcast between states atomically; False if someone else moved it first."""
    values: dict[str, object] = {"status": new, "updated_at": now}
    if new == BroadcastStatus.SENDING:
        values["started_at"] = now
    result = session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == old)
        .values(**values)
    )
    return bool(cast(CursorResult[Any], result).rowcount)


def confirm(session: Session, broadcast_id: int, *, by: str, now: datetime) -> Broadcast:
    """The coordinator confirmed the preview: schedule it, or mark it to be started now."""
    broadcast = get(session, broadcast_id)
    if broadcast.author != by:
        raise DomainError("coord.err.no_broadcast")
    if broadcast.status != BroadcastStatus.DRAFT:
        return broadcast  # a double click: the first confirmation stands
    if broadcast.send_at is not None and broadcast.send_at < now - PAST_GRACE:
        raise DomainError("coord.err.past")
    replaced = broadcast.replaces_id
    if replaced is not None and not set_status(
        session, replaced, BroadcastStatus.SCHEDULED, BroadcastStatus.CANCELLED, now
    ):
        raise DomainError("coord.err.not_scheduled")
    set_status(session, broadcast_id, BroadcastStatus.DRAFT, BroadcastStatus.SCHEDULED, now)
    session.refresh(broadcast)
    return broadcast


def cancel(session: Session, broadcast_id: int, *, event_id: int, now: datetime) -> Broadcast:
    """Cancel a scheduled broadcast (refused once it has started)."""
    broadcast = scheduled(session, broadcast_id, event_id=event_id)
    if not set_status(session, broadcast_id, BroadcastStatus.SCHEDULED,
                      BroadcastStatus.CANCELLED, now):  # fmt: skip
        raise DomainError("coord.err.not_scheduled")
    session.refresh(broadcast)
    return broadcast


def is_due(broadcast: Broadcast, now: datetime) -> bool:
    return broadcast.send_at is None or broadcast.send_at <= now


def due_ids(session: Session, *, now: datetime) -> list[int]:
    """Scheduled broadcasts whose time has come, and started ones with messages left to send."""
    scheduled_due = session.scalars(
        select(Broadcast.id).where(
            Broadcast.status == BroadcastStatus.SCHEDULED,
            (Broadcast.send_at.is_(None)) | (Broadcast.send_at <= now),
        )
    )
    sending = session.scalars(
        select(Broadcast.id).where(Broadcast.status == BroadcastStatus.SENDING)
    )
    return sorted({*scheduled_due, *sending})


def for_event(session: Session, event_id: int, *, statuses: tuple[str, ...]) -> list[Broadcast]:
    return list(
        session.scalars(
            select(Broadcast)
            .where(Broadcast.event_id == event_id, Broadcast.status.in_(statuses))
            .order_by(Broadcast.send_at, Broadcast.id)
        )
    )
