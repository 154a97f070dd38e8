"""Reading a person's registrations (no changes, no locks): the snapshot the surfaces show,
waitlist places, seats left, and which registrations a person has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session, defer

from bot.errors import DomainError
from bot.events.service import get_event
from storage.models import Event, Registration, RegistrationStatus

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


@dataclass(frozen=True)
class Snapshot:
    """A registration as the surfaces show it (safe to use after the session is gone)."""

    event_slug: str
    user_id: str
    status: str
    name: str
    organisation: str
    role: str
    preferences: tuple[str, ...]
    comment: str
    locale: str
    revision: int
    waitlist_position: int | None
    email: str = ""


def find(session: Session, event_id: int, user_id: str) -> Registration | None:
    return session.scalars(
        select(Registration).where(
            Registration.event_id == event_id, Registration.user_id == user_id
        )
    ).one_or_none()


def waitlist_position(session: Session, registration: Registration) -> int | None:
    """1-based place in the waitlist, or None if not waitlisted."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return session.scalar(
        select(func.count()).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.queue_no <= registration.queue_no,
        )
    )


def snapshot(
    session: Session, registration: Registration, slug: str, *, place: int | None = None
) -> Snapshot:
    """`place`: the waitlist place when the caller knows it (an inbox batch), else counted."""
    return Snapshot(
        event_slug=slug,
        user_id=registration.user_id,
        status=registration.status,
        name=registration.name,
        organisation=registration.organisation,
        role=registration.role,
        preferences=tuple(registration.preferences),
        comment=registration.comment,
        locale=registration.locale,
        revision=registration.revision,
        waitlist_position=place or waitlist_position(session, registration),
        email=registration.email or "",
    )


def get_registration(session: Session, *, slug: str, user_id: str) -> Snapshot | None:
    """The person's active registration for the event, if any."""
    event = get_event(session, slug, with_definition=False)  # only its id is needed
    if event is None:
        raise DomainError("reg.unknown_event", slug=slug)
    return registration_in(session, event, user_id)


def registration_in(session: Session, event: Event | Row[Any], user_id: str) -> Snapshot | None:
    """The person's active registration for an event the caller has read, if any."""
    registration = find(session, event.id, user_id)
    if registration is None or registration.status not in ACTIVE:
        return None
    return snapshot(session, registration, event.slug)


def seats_left(event: Event | Row[Any]) -> int:
    return max(event.seat_limit - event.registered_count, 0)


def stored_registrations(session: Session, *, user_id: str) -> list[tuple[Event, Registration]]:
    """Every registration of the person whose data is still kept, whatever its status or date."""
    rows = session.execute(
        select(Event, Registration)
        .join(Registration, Registration.event_id == Event.id)
        .where(Registration.user_id == user_id, Event.purged_at.is_(None))
        .order_by(Event.starts_at)
    ).all()
    return [(event, registration) for event, registration in rows]


def active_registrations(
    session: Session, *, user_id: str, now: datetime, with_definition: bool = True
) -> list[tuple[Event, Registration]]:
    """The person's active registrations in events that are not over yet."""
    stmt = select(Event, Registration)
    if not with_definition:  # read when definition_of needs it, inside the session
        stmt = stmt.options(defer(Event.definition))
    rows = session.execute(
        stmt.join(Registration, Registration.event_id == Event.id)
        .where(
            Registration.user_id == user_id,
            Registration.status.in_(ACTIVE),
            Event.ends_at > now,
            Event.purged_at.is_(None),
        )
        .order_by(Event.starts_at)
    ).all()
    return [(event, registration) for event, registration in rows]


# Every event not over yet, with the person's active registration's id (or None): the first
# thing /anmal reads, so built once, as plain columns (no ORM objects to build per request).
_UPCOMING = (
    select(
        Event.id, Event.slug, Event.language, Event.opens_at, Event.closes_at, Event.seat_limit,
        Event.registered_count, Event.version, Event.updated_at,
        Registration.id.label("registration_id"),
    )
    .outerjoin(
        Registration,
        (Registration.event_id == Event.id)
        & (Registration.user_id == bindparam("user_id", type_=Registration.user_id.type))
        & Registration.status.in_(ACTIVE),
    )
    .where(Event.ends_at > bindparam("now", type_=Event.ends_at.type), Event.purged_at.is_(None))
    .order_by(Event.starts_at)
)  # fmt: skip


def upcoming_with_registration(session: Session, *, user_id: str, now: datetime) -> list[Row]:
    """Every event not over yet, each with the person's active registration's id or None
    (`registration_id`), in one query; rows with the Event's column names, no `definition`
    (bot.events.service.definition_by_version gives it)."""
    return list(session.connection().execute(_UPCOMING, {"user_id": user_id, "now": now}))
