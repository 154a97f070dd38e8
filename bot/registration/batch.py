"""A batch of submissions for one event under one lock (the inbox in a deadline rush).

registrations() reads the batch's people's registrations in one query and counts the waitlist
once, keeping both in the session's own info: the rules then find a person's registration
without a query, and a new arrival at the end of the waitlist is at place count + 1. A new
registration is not added to the session: the rules hand it to add_new(), and as the block ends
the batch's new registrations are written by an INSERT ... RETURNING id (one statement on
PostgreSQL; on SQLite, whose multi-row RETURNING keeps no order, SQLAlchemy sends one per row)
and their ranked choices by one executemany (Core statements: the ORM's unit of work, with its
one-to-many bookkeeping for the choices, cost about a quarter of a one-submission batch), after
one flush of what changed on rows already
stored (the event's counters, edits, a cancelled registration taken up again). The caller keeps
autoflush off meanwhile and never lets one person appear twice in a batch (their second
submission waits for the next one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Column, Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from bot.registration import lookup
from storage.models import Event, GroupChoice, Registration, RegistrationStatus

BATCH = "registration_batch"

_REGISTRATIONS = cast(Table, Registration.__table__)
_CHOICES = cast(Table, GroupChoice.__table__)
_INSERT_REGISTRATIONS = insert(_REGISTRATIONS).returning(
    _REGISTRATIONS.c.id, sort_by_parameter_order=True
)
_INSERT_CHOICES = insert(_CHOICES)
# what a new registration is written with: every column but its id (the INSERT gives it)
_COLUMNS = [column for column in _REGISTRATIONS.columns if column.key != "id"]


@contextmanager
def registrations(session: Session, event: Event | None, user_ids: list[str]) -> Iterator[None]:
    """A batch of submissions by these people for one locked event (None: no such event, the
    rules refuse each one) in this session. As the block ends, what the batch changed is
    written (one flush, then the new registrations and their choices); after a fault nothing is
    written, and either way the session leaves batch mode (its next statements are on their own
    again)."""
    if event is not None:
        _begin(session, event, user_ids)
    try:
        yield
    finally:
        state = session.info.pop(BATCH, None)
    session.flush()
    if state is not None and state["new"]:
        _insert_new(session, state["new"])


_EVENT_ID = bindparam("event_id", type_=Registration.event_id.type)
_WAITLISTED = select(func.count()).where(
    Registration.event_id == _EVENT_ID, Registration.status == RegistrationStatus.WAITLISTED
)
_THEIRS = select(Registration).where(
    Registration.event_id == _EVENT_ID,
    Registration.user_id.in_(bindparam("user_ids", expanding=True)),
)


def _begin(session: Session, event: Event, user_ids: list[str]) -> None:
    waitlisted = session.scalar(_WAITLISTED, {"event_id": event.id})
    known: dict[tuple[int, str], Registration | None] = {(event.id, u): None for u in user_ids}
    for registration in session.scalars(_THEIRS, {"event_id": event.id, "user_ids": user_ids}):
        known[event.id, registration.user_id] = registration
    session.info[BATCH] = {"tail": {event.id: waitlisted or 0}, "known": known, "new": []}


def _insert_new(session: Session, new: list[Registration]) -> None:
    """Write the batch's new registrations, then their ranked choices; each registration gets
    the id the database gave it (the objects stay outside the session)."""
    rows: list[dict[str, Any]] = [{c.key: _value(r, c) for c in _COLUMNS} for r in new]
    connection = session.connection()
    ids = connection.execute(_INSERT_REGISTRATIONS, rows).scalars().all()
    choices = []
    for registration, registration_id in zip(new, ids, strict=True):
        registration.id = registration_id
        for choice in registration.choices:
            choice.registration_id = registration_id
            choices.append({"registration_id": registration_id, "event_id": choice.event_id,
                            "rank": choice.rank, "group_key": choice.group_key})  # fmt: skip
    if choices:
        connection.execute(_INSERT_CHOICES, choices)


def _value(registration: Registration, column: Column[Any]) -> Any:
    """The attribute as the ORM would write it: a column's default when the rules left it unset
    (every row of one INSERT names the same columns)."""
    value = getattr(registration, column.key)
    default = column.default
    if value is None and default is not None and default.is_scalar:
        return cast(Any, default).arg
    return value


def active(session: Session) -> bool:
    return BATCH in session.info


def add_new(session: Session, registration: Registration) -> None:
    """A new registration the rules made in this batch: written as the batch ends, and found
    by known_registration meanwhile."""
    state = session.info[BATCH]
    state["new"].append(registration)
    state["known"][registration.event_id, registration.user_id] = registration


def find(session: Session, event_id: int, user_id: str) -> Registration | None:
    """The person's registration: from the batch when it knows it (a new one too), else read."""
    found, registration = known_registration(session, event_id, user_id)
    return registration if found else lookup.find(session, event_id, user_id)


def known_registration(
    session: Session, event_id: int, user_id: str
) -> tuple[bool, Registration | None]:
    """(True, the registration or None) when the batch read it; (False, None) otherwise."""
    batch = session.info.get(BATCH)
    if batch is None or (event_id, user_id) not in batch["known"]:
        return False, None
    return True, batch["known"][event_id, user_id]


def join_waitlist_tail(session: Session, registration: Registration) -> int | None:
    """A new arrival's place at the end of the waitlist, or None (not waitlisted, no batch)."""
    batch = session.info.get(BATCH)
    if batch is None or registration.status != RegistrationStatus.WAITLISTED:
        return None
    tails = batch["tail"]
    tails[registration.event_id] += 1
    return tails[registration.event_id]
