"""The outbox: every outgoing message is recorded under a unique key before anything is sent.

A key names the message's meaning ("reminder:skelleftea-2021:3:5"), so a retry, a restart or a
second app instance that tries to record the same message again gets nothing to send. Sending
claims a row atomically (pending -> sending) so only one sender ever sends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Insert, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import OutboxMessage, OutboxStatus

# A coordinators' DM addressed to a Slack user group: the delivery worker resolves the group at
# send time (the domain never calls Slack) and records one message per member under
# '{base key}:{user}', the key a DM to a listed coordinator has, so nobody gets it twice.
USERGROUP_PREFIX = "usergroup:"


def coordinator_recipients(users: list[str], usergroup: str | None) -> list[str]:
    """Where a DM to every coordinator goes: each listed user, and the user group to resolve."""
    return [*users, *([USERGROUP_PREFIX + usergroup] if usergroup else [])]


def usergroup_of(channel: str) -> str | None:
    """The user group a recorded message is addressed to, if it is one."""
    return channel.removeprefix(USERGROUP_PREFIX) if channel.startswith(USERGROUP_PREFIX) else None


def member_key(key: str, usergroup: str, user_id: str) -> str:
    """The key of one member's copy of a message recorded as '{base}:{USERGROUP_PREFIX}{group}'."""
    return f"{key.removesuffix(':' + USERGROUP_PREFIX + usergroup)}:{user_id}"


def enqueue(
    session: Session,
    *,
    key: str,
    channel: str,
    text: str,
    now: datetime,
    kind: str,
    event_id: int | None = None,
    blocks: list[dict[str, Any]] | None = None,
    due_at: datetime | None = None,
    attachment: dict[str, Any] | None = None,
    slack_ts: str | None = None,
) -> int | None:
    """Record a message once; returns its id, or None when the key was already recorded.

    An attachment (filename, title, mime, content) is sent as a file with text as its comment.
    `slack_ts` names the message a deletion or an edit acts on (kinds 'delete', 'redact')."""
    values = dict(
        key=key[:200],
        channel=channel,
        text=text,
        blocks=blocks,
        attachment=attachment,
        kind=kind,
        event_id=event_id,
        status=OutboxStatus.PENDING,
        attempts=0,
        due_at=due_at or now,
        created_at=now,
        slack_ts=slack_ts,
    )
    stmt = _enqueue_statement(session.get_bind().dialect.name)
    return session.execute(stmt, values).scalar_one_or_none()


_ENQUEUE: dict[str, Any] = {}
_ENQUEUE_COLUMNS = ("key", "channel", "text", "blocks", "kind", "event_id", "status", "attempts",
                    "due_at", "created_at")  # fmt: skip


def _enqueue_statement(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id, built once per dialect (building it
    per message cost more than running it)."""
    stmt = _ENQUEUE.get(dialect)
    if stmt is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = OutboxMessage.__table__
        stmt = _ENQUEUE[dialect] = (
            insert(table)  # type: ignore[arg-type]
            .values({name: bindparam(name, type_=table.c[name].type) for name in _ENQUEUE_COLUMNS})
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(table.c.id)
        )
    return stmt


def _insert_many(dialect: str) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(OutboxMessage)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(OutboxMessage.id)
    )


# Built once and run as one executemany: SQLAlchemy sends it as multi-row INSERTs of its own
# ("insertmanyvalues") from one cached compilation. A statement with the rows in its VALUES was
# compiled anew for every fan-out (each has its own row count), and went through the ORM.
_INSERT_MANY = {dialect: _insert_many(dialect) for dialect in ("postgresql", "sqlite")}


def enqueue_many(
    session: Session,
    messages: list[dict[str, Any]],
    *,
    now: datetime,
    kind: str,
    event_id: int | None = None,
) -> list[int]:
    """Record many messages (dicts of key, channel, text, blocks) in few statements; returns
    the ids of those not recorded before, in the order given (keys already there are skipped)."""
    if not messages:
        return []
    rows = [
        dict(key=m["key"][:200], channel=m["channel"], text=m["text"], blocks=m.get("blocks"),
             kind=kind, event_id=event_id, status=OutboxStatus.PENDING, attempts=0,
             due_at=now, created_at=now)
        for m in messages
    ]  # fmt: skip
    statement = _INSERT_MANY[session.get_bind().dialect.name]
    return sorted(session.connection().execute(statement, rows).scalars())  # ids in row order


# Built once: the claim and the 'sent' record run for every message sent.
_CLAIM = (
    update(OutboxMessage)
    .where(
        OutboxMessage.id == bindparam("message_id"),
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
    claimed = session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.due_at <= now,
        )
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            claimed_at=now,
            claimed_by=instance,
        )
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    ).all()
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


def ids_of_kinds(session: Session, message_ids: list[int], kinds: tuple[str, ...]) -> set[int]:
    """Which of these messages are of the given kinds."""
    return set(
        session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.id.in_(message_ids), OutboxMessage.kind.in_(kinds)
            )
        )
    )


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
