"""Sending what the outbox recorded: a row is claimed atomically (pending -> sending, recording
which instance took it) right before its call to Slack, so only one sender ever sends it, and
the outcome is recorded after (sent, failed, a retry later). A row left 'sending' by a crash may
have gone out: it becomes 'unknown' and is never re-sent on its own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningUpdate

from storage.models import OutboxMessage, OutboxStatus


def _claim(which: ColumnElement[bool]) -> ReturningUpdate[Any]:
    """pending -> sending for the messages `which` picks that are due, recording the instance;
    the claimed rows come back as ORM objects (no second SELECT)."""
    return (
        update(OutboxMessage)
        .where(
            which,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.due_at <= bindparam("now", type_=OutboxMessage.due_at.type),
        )
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            claimed_at=bindparam("now", type_=OutboxMessage.claimed_at.type),
            claimed_by=bindparam("instance", type_=OutboxMessage.claimed_by.type),
        )
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )


# Built once: the claims and the 'sent' record run for every message sent.
_CLAIM = _claim(OutboxMessage.id == bindparam("message_id"))
_CLAIM_MANY = _claim(OutboxMessage.id.in_(bindparam("message_ids", expanding=True)))
_SENT = (
    update(OutboxMessage)
    .where(OutboxMessage.id == bindparam("message_id"))
    .values(
        status=OutboxStatus.SENT,
        last_error=None,
        sent_at=bindparam("now", type_=OutboxMessage.sent_at.type),
        slack_ts=bindparam("slack_ts"),
    )
    .execution_options(synchronize_session=False)
)


def claim(
    session: Session, message_id: int, *, now: datetime, instance: str | None = None
) -> OutboxMessage | None:
    """Atomically take a due pending message for sending (recording which instance took it);
    None if someone else has it."""
    # one statement: the claimed row comes back as the ORM object (no second SELECT)
    params = {"message_id": message_id, "now": now, "instance": instance}
    return session.scalars(_CLAIM, params).one_or_none()


def mark_sent(session: Session, message_id: int, *, now: datetime, slack_ts: str | None) -> None:
    """Record a successful send (the hot path of finish(status=SENT))."""
    session.execute(_SENT, {"message_id": message_id, "now": now, "slack_ts": slack_ts})


def claim_many(
    session: Session, message_ids: list[int], *, now: datetime, instance: str | None = None
) -> list[OutboxMessage]:
    """Take many due pending messages for sending in one statement (recording which instance
    took them); the claimed ones, in the order given (those someone else has, or not yet due,
    are left out)."""
    if not message_ids:
        return []
    params = {"message_ids": message_ids, "now": now, "instance": instance}
    claimed = session.scalars(_CLAIM_MANY, params).all()
    by_id = {message.id: message for message in claimed}
    return [by_id[i] for i in message_ids if i in by_id]


_SENT_MANY = (
    update(OutboxMessage.__table__)  # type: ignore[arg-type]
    .where(OutboxMessage.__table__.c.id == bindparam("message_id"))
    .values(status=OutboxStatus.SENT, last_error=None, sent_at=bindparam("now"),
            slack_ts=bindparam("slack_ts"))
)  # fmt: skip


def mark_many_sent(
    session: Session, sent: Sequence[tuple[int, str | None]], *, now: datetime
) -> None:
    """Record many successful sends, (id, Slack ts) each, in one executemany statement."""
    if sent:
        session.connection().execute(
            _SENT_MANY, [{"message_id": i, "now": now, "slack_ts": ts} for i, ts in sent]
        )


def finish(
    session: Session,
    message_id: int,
    *,
    status: OutboxStatus,
    now: datetime,
    error: str | None = None,
    slack_ts: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    """Record how a send ended (or put it back as pending for a later retry)."""
    values: dict[str, Any] = {"status": status, "last_error": error}
    if status == OutboxStatus.SENT:
        values.update(sent_at=now, slack_ts=slack_ts)
    if retry_at is not None:
        values.update(status=OutboxStatus.PENDING, due_at=retry_at)
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))


# Kinds sent only by their own paced sender (coordinators' broadcasts: a token bucket keeps them
# under Slack's workspace limit); the general sweep leaves them alone.
PACED_ELSEWHERE = ("broadcast",)


def channels_of(session: Session, message_ids: list[int]) -> dict[int, str]:
    """The channel of each of these messages (ids not in the outbox are left out)."""
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.channel).where(OutboxMessage.id.in_(message_ids))
    )
    return {message_id: channel for message_id, channel in rows}


_OF_KINDS = select(OutboxMessage.id).where(
    OutboxMessage.id.in_(bindparam("message_ids", expanding=True)),
    OutboxMessage.kind.in_(bindparam("kinds", expanding=True)),
)


def ids_of_kinds(session: Session, message_ids: list[int], kinds: tuple[str, ...]) -> set[int]:
    """Which of these messages are of the given kinds."""
    return set(session.scalars(_OF_KINDS, {"message_ids": message_ids, "kinds": list(kinds)}))


def due_ids(session: Session, *, now: datetime, limit: int = 500) -> list[int]:
    """Ids of pending messages that are due, oldest first (not those paced elsewhere)."""
    return list(
        session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.due_at <= now,
                OutboxMessage.kind.not_in(PACED_ELSEWHERE),
            )
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
        )
    )


def mark_own_interrupted(
    session: Session, *, instance: str, claimed_before: datetime
) -> list[OutboxMessage]:
    """At start: rows this instance claimed before it started and never finished. The process
    died mid-call, so Slack may have shown them: 'unknown', never re-sent on their own."""
    return list(
        session.scalars(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_by == instance,
                OutboxMessage.claimed_at < claimed_before,
            )
            .values(status=OutboxStatus.UNKNOWN, last_error="interrupted while sending")
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False)
        )
    )


def mark_interrupted(session: Session, *, claimed_before: datetime) -> int:
    """Messages left 'sending' by a crash may have gone out: flag them, never re-send blindly."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < claimed_before,
        )
        .values(status=OutboxStatus.UNKNOWN, last_error="interrupted while sending")
    )
    return cast(CursorResult[Any], result).rowcount or 0


def set_channel(session: Session, message_id: int, channel: str) -> None:
    """Record where a message lives (a DM's channel id in place of the person's user id)."""
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id).values(channel=channel)
    )
