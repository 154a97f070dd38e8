"""Broadcasts: draft, confirm, schedule, change, cancel, start, progress and retry.

Starting a broadcast turns it into one outbox row per recipient, keyed `broadcast:{id}:{recipient}`,
in the same transaction that marks it as sending. A process killed mid-way therefore resumes from
the outbox after a restart: rows already sent stay sent, and a row caught in the middle of its
Slack call is flagged 'unknown' (never re-sent without a coordinator asking).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from bot import outbox
from bot.coordination.audience import check_audiences, resolve
from bot.errors import DomainError
from bot.storable import unstorable
from storage.models import Broadcast, BroadcastStatus, Event, OutboxMessage, OutboxStatus

MAX_TEXT = 3000  # one Block Kit section in the preview; Slack advises < 4000 for chat.postMessage
PAST_GRACE = timedelta(minutes=1)  # a time picked "now" in the modal is not "in the past"
KIND = "broadcast"
RETRYABLE = (OutboxStatus.FAILED, OutboxStatus.UNKNOWN, OutboxStatus.MISSED)
CERTAINLY_NOT_SENT = (OutboxStatus.FAILED, OutboxStatus.MISSED)


@dataclass(frozen=True)
class Progress:
    broadcast_id: int
    status: str
    total: int
    sent: int
    pending: int
    failed: list[tuple[str, str]] = field(default_factory=list)  # (recipient, error)
    unknown: list[str] = field(default_factory=list)  # cut off mid-send: may have arrived

    @property
    def finished(self) -> bool:
        """Nothing left to send (the broadcast may not be marked done yet)."""
        return self.pending == 0

    @property
    def done(self) -> bool:
        return self.status == BroadcastStatus.DONE


def key_prefix(broadcast_id: int) -> str:
    return f"{KIND}:{broadcast_id}:"


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


def _set_status(session: Session, broadcast_id: int, old: str, new: str, now: datetime) -> bool:
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
    if replaced is not None and not _set_status(
        session, replaced, BroadcastStatus.SCHEDULED, BroadcastStatus.CANCELLED, now
    ):
        raise DomainError("coord.err.not_scheduled")
    _set_status(session, broadcast_id, BroadcastStatus.DRAFT, BroadcastStatus.SCHEDULED, now)
    session.refresh(broadcast)
    return broadcast


def cancel(session: Session, broadcast_id: int, *, event_id: int, now: datetime) -> Broadcast:
    """Cancel a scheduled broadcast (refused once it has started)."""
    broadcast = scheduled(session, broadcast_id, event_id=event_id)
    if not _set_status(session, broadcast_id, BroadcastStatus.SCHEDULED,
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


def start(session: Session, broadcast_id: int, *, now: datetime) -> bool:
    """Scheduled and due -> sending, recording one outbox row per recipient in this same
    transaction. False when it is not due, or another process started it first."""
    broadcast = get(session, broadcast_id)
    if broadcast.status != BroadcastStatus.SCHEDULED or not is_due(broadcast, now):
        return False
    if not _set_status(session, broadcast_id, BroadcastStatus.SCHEDULED,
                       BroadcastStatus.SENDING, now):  # fmt: skip
        return False
    event = session.get(Event, broadcast.event_id)
    assert event is not None
    recipients = resolve(session, event, list(broadcast.audiences)).recipients
    for recipient in recipients:
        outbox.enqueue(
            session, key=f"{key_prefix(broadcast_id)}{recipient}", channel=recipient,
            text=broadcast.text, kind=KIND, event_id=event.id, now=now,
        )  # fmt: skip
    broadcast.total = len(recipients)
    session.flush()
    return True


def _rows(session: Session, broadcast_id: int):  # noqa: ANN202 (a select)
    return select(OutboxMessage).where(
        OutboxMessage.key.like(f"{key_prefix(broadcast_id)}%"), OutboxMessage.kind == KIND
    )


def pending_ids(session: Session, broadcast_id: int, *, now: datetime) -> list[int]:
    """This broadcast's rows that are due to be sent, oldest first."""
    stmt = _rows(session, broadcast_id).where(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now
    )
    stmt = stmt.with_only_columns(OutboxMessage.id).order_by(OutboxMessage.id)
    return list(session.scalars(stmt))


def progress(session: Session, broadcast_id: int) -> Progress:
    broadcast = get(session, broadcast_id)
    counts = dict(
        session.execute(
            _rows(session, broadcast_id)
            .with_only_columns(OutboxMessage.status, func.count())
            .group_by(OutboxMessage.status)
        ).all()
    )
    failed = session.execute(
        _rows(session, broadcast_id)
        .with_only_columns(OutboxMessage.channel, OutboxMessage.status, OutboxMessage.last_error)
        .where(OutboxMessage.status.in_(RETRYABLE))
        .order_by(OutboxMessage.id)
    ).all()
    return Progress(
        broadcast_id=broadcast_id,
        status=broadcast.status,
        total=broadcast.total,
        sent=counts.get(OutboxStatus.SENT, 0),
        pending=counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0),
        failed=[
            (channel, error or status)
            for channel, status, error in failed
            if status != OutboxStatus.UNKNOWN
        ],
        unknown=[channel for channel, status, _ in failed if status == OutboxStatus.UNKNOWN],
    )


def finish_if_complete(session: Session, broadcast_id: int, *, now: datetime) -> bool:
    """sending -> done once no row is left pending or being sent."""
    if not progress(session, broadcast_id).finished:
        return False
    changed = _set_status(session, broadcast_id, BroadcastStatus.SENDING, BroadcastStatus.DONE, now)
    if changed:
        session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id).values(finished_at=now)
        )
    return changed


def retry_failed(
    session: Session, broadcast_id: int, *, now: datetime, include_unknown: bool = False
) -> int:
    """Put failed rows back in line; the broadcast is sending again. Rows cut off mid-send
    (unknown: they may have arrived) only when asked explicitly, so nobody gets a second copy."""
    statuses = RETRYABLE if include_unknown else CERTAINLY_NOT_SENT
    ids = list(
        session.scalars(
            _rows(session, broadcast_id)
            .with_only_columns(OutboxMessage.id)
            .where(OutboxMessage.status.in_(statuses))
        )
    )
    if not ids:
        return 0
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(status=OutboxStatus.PENDING, due_at=now, attempts=0, last_error=None)
    )
    session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(status=BroadcastStatus.SENDING, finished_at=None, updated_at=now)
    )
    return len(ids)


def set_progress_message(session: Session, broadcast_id: int, *, channel: str, ts: str) -> None:
    session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(progress_channel=channel, progress_ts=ts)
    )


def for_event(session: Session, event_id: int, *, statuses: tuple[str, ...]) -> list[Broadcast]:
    return list(
        session.scalars(
            select(Broadcast)
            .where(Broadcast.event_id == event_id, Broadcast.status.in_(statuses))
            .order_by(Broadcast.send_at, Broadcast.id)
        )
    )


def mark_interrupted(session: Session, *, claimed_before: datetime) -> int:
    """Broadcast rows left 'sending' by a killed process may have arrived: flag them 'unknown'
    (listed with a retry button), never re-send them on our own."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.kind == KIND,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < claimed_before,
        )
        .values(status=OutboxStatus.UNKNOWN, last_error="interrupted while sending")
    )
    return cast(CursorResult[Any], result).rowcount or 0
