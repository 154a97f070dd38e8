"""Sending a broadcast: start it, what is left to send, its progress, finish, retry, interruptions.

Starting a broadcast turns it into one outbox row per recipient, keyed `broadcast:{id}:{recipient}`,
in the same transaction that marks it as sending. A process killed mid-way therefore resumes from
the outbox after a restart: rows already sent stay sent, and a row caught in the middle of its
Slack call is flagged 'unknown' (never re-sent without a coordinator asking).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Select, func, select, update
from sqlalchemy.orm import Session

from bot import outbox
from bot.coordination.audience import resolve
from bot.coordination.broadcasts import get, is_due, set_status
from storage.models import Broadcast, BroadcastStatus, Event, OutboxMessage, OutboxStatus

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


def start(session: Session, broadcast_id: int, *, now: datetime) -> bool:
    """Scheduled and due -> sending, recording one outbox row per recipient in this same
    transaction. False when it is not due, or another process started it first."""
    broadcast = get(session, broadcast_id)
    if broadcast.status != BroadcastStatus.SCHEDULED or not is_due(broadcast, now):
        return False
    if not set_status(session, broadcast_id, BroadcastStatus.SCHEDULED,
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


def _of_broadcast(broadcast_id: int) -> tuple[ColumnElement[bool], ...]:
    """What picks out the broadcast's outbox rows (one per recipient)."""
    return OutboxMessage.key.like(f"{key_prefix(broadcast_id)}%"), OutboxMessage.kind == KIND


def _rows(broadcast_id: int) -> Select[Any]:
    """The broadcast's outbox rows, to narrow to the columns wanted."""
    return select(OutboxMessage).where(*_of_broadcast(broadcast_id))


def pending_ids(session: Session, broadcast_id: int, *, now: datetime) -> list[int]:
    """This broadcast's rows that are due to be sent, oldest first."""
    stmt = _rows(broadcast_id).where(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now
    )
    stmt = stmt.with_only_columns(OutboxMessage.id).order_by(OutboxMessage.id)
    return list(session.scalars(stmt))


def progress(session: Session, broadcast_id: int) -> Progress:
    broadcast = get(session, broadcast_id)
    counts = dict(
        session.execute(
            _rows(broadcast_id)
            .with_only_columns(OutboxMessage.status, func.count())
            .group_by(OutboxMessage.status)
        ).all()
    )
    failed = session.execute(
        _rows(broadcast_id)
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
    changed = set_status(session, broadcast_id, BroadcastStatus.SENDING, BroadcastStatus.DONE, now)
    if changed:
        session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id).values(finished_at=now)
        )
    return changed


def retry_failed(
    session: Session, broadcast_id: int, *, now: datetime, include_unknown: bool = False
) -> int:
    """Put failed rows back in line; the broadcast is sending again. Rows cut off mid-send
    (unknown: they may have arrived) only when asked explicitly, so nobody gets a second copy.
    One UPDATE that checks each row's status as it changes it: a row another coordinator's
    retry put back in line and the sender delivered meanwhile is left alone."""
    statuses = RETRYABLE if include_unknown else CERTAINLY_NOT_SENT
    result = session.execute(
        update(OutboxMessage)
        .where(*_of_broadcast(broadcast_id), OutboxMessage.status.in_(statuses))
        .values(status=OutboxStatus.PENDING, due_at=now, attempts=0, last_error=None)
    )
    count = cast(CursorResult[Any], result).rowcount or 0
    if count:
        session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .values(status=BroadcastStatus.SENDING, finished_at=None, updated_at=now)
        )
    return count


def set_progress_message(session: Session, broadcast_id: int, *, channel: str, ts: str) -> None:
    session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(progress_channel=channel, progress_ts=ts)
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
