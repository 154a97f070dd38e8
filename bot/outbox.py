"""The outbox: every outgoing message is recorded under a unique key before anything is sent.

A key names the message's meaning ("reminder:skelleftea-2021:3:5"), so a retry, a restart or a
second app instance that tries to record the same message again gets nothing to send. Sending
claims a row atomically (pending -> sending) so only one sender ever sends it
(bot/outbox_sending.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, bindparam
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
    `slack_ts` names the message a deletion or an edit acts on (kinds 'delete', 'redact').
    Within `deferred(session)` the row is kept for one INSERT at the block's end, and the answer
    is a placeholder (a negative number) that the block's mapping turns into the id."""
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
    deferred = session.info.get(DEFERRED)
    if deferred is not None:
        deferred.append(values)
        return -len(deferred)
    stmt = _enqueue_statement(session.get_bind().dialect.name)
    return session.execute(stmt, values).scalar_one_or_none()


DEFERRED = "outbox_deferred"  # in Session.info: the rows enqueue keeps while deferring


@contextmanager
def deferred(session: Session) -> Iterator[dict[int, int | None]]:
    """Within the block, this session's messages are kept and recorded together when it ends:
    an inbox batch's confirmations and calendar files in one statement instead of one each.
    enqueue answers a placeholder (a negative number) meanwhile; the yielded mapping gives each
    placeholder's id once the block has ended (use resolve). Only for callers that collect the
    ids enqueue returns, never for one that uses an id in the same transaction. If the block
    raises, nothing kept is recorded."""
    if DEFERRED in session.info:
        raise RuntimeError("this session is already deferring its messages")
    session.info[DEFERRED] = []
    recorded: dict[int, int | None] = {}
    try:
        yield recorded
        recorded.update(_record_kept(session, session.info[DEFERRED]))
    finally:
        session.info.pop(DEFERRED, None)


def _record_kept(session: Session, rows: list[dict[str, Any]]) -> dict[int, int | None]:
    """The kept rows in one statement, in the order they were enqueued (their ids ascend in that
    order, as if each had been recorded at once). Each placeholder's id, or None where the key
    was recorded before (or earlier in the block): what enqueue would have answered."""
    if not rows:
        return {}
    statement = _INSERT_KEYED[session.get_bind().dialect.name]
    session.flush()  # the Core statement bypasses autoflush: what the session holds goes first
    ids: dict[str, int] = {key: id_ for key, id_ in session.connection().execute(statement, rows)}
    return {-n: ids.pop(row["key"], None) for n, row in enumerate(rows, start=1)}


def resolve(ids: list[int], placeholders: dict[int, int | None]) -> list[int]:
    """Outbox ids with deferred()'s placeholders replaced (those not recorded dropped)."""
    resolved = (placeholders.get(i) if i < 0 else i for i in ids)
    return [i for i in resolved if i is not None]


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


def _insert_new_keys(dialect: str) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(OutboxMessage).on_conflict_do_nothing(index_elements=["key"])


# Built once and run as one executemany: SQLAlchemy sends it as multi-row INSERTs of its own
# ("insertmanyvalues") from one cached compilation. A statement with the rows in its VALUES was
# compiled anew for every fan-out (each has its own row count), and went through the ORM.
_INSERT_MANY = {
    dialect: _insert_new_keys(dialect).returning(OutboxMessage.id)
    for dialect in ("postgresql", "sqlite")
}
# the same, answering which key got which id (a key recorded before answers nothing), one
# statement whose rows are inserted in the order given, so their ids ascend in that order:
# SQLite inserts a VALUES list row by row; PostgreSQL is told to (SQLAlchemy's "sort by
# parameter order", which on SQLite would send one statement per row instead)
_INSERT_KEYED = {
    "postgresql": _insert_new_keys("postgresql").returning(
        OutboxMessage.key, OutboxMessage.id, sort_by_parameter_order=True
    ),
    "sqlite": _insert_new_keys("sqlite").returning(OutboxMessage.key, OutboxMessage.id),
}


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
    if DEFERRED in session.info:
        raise RuntimeError("enqueue_many within deferred(): its rows would precede the kept ones")
    if not messages:
        return []
    rows = [
        dict(key=m["key"][:200], channel=m["channel"], text=m["text"], blocks=m.get("blocks"),
             kind=kind, event_id=event_id, status=OutboxStatus.PENDING, attempts=0,
             due_at=now, created_at=now)
        for m in messages
    ]  # fmt: skip
    statement = _INSERT_MANY[session.get_bind().dialect.name]
    session.flush()  # the Core statement bypasses autoflush: what the session holds goes first
    return sorted(session.connection().execute(statement, rows).scalars())  # ids in row order
