"""Loading event definitions into the database: upsert by slug, never orphaning a registration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, defer, object_session

from bot.errors import DomainError
from bot.events.schema import EventDefinition
from bot.events.seats import fill_free_seats
from storage.models import Event, GroupChoice, Registration, RegistrationStatus


@dataclass
class UpsertResult:
    event: Event
    created: bool
    changed: bool
    promoted_user_ids: list[str] = field(default_factory=list)


class EventChangeRefused(DomainError):
    """An edit would orphan registrations; `reasons` says who is affected and why."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("event.change_refused", reasons="\n".join(reasons))


# Validated definitions, per database, event and version: a definition is read from its JSON and
# validated once per event version per process (an edit bumps the version, see upsert_event).
_DEFINITIONS: dict[tuple[str, int, int, datetime], EventDefinition] = {}
_DEFINITIONS_MAX = 256


def definition_of(event: Event) -> EventDefinition:
    """The validated definition stored with an event (validated once per event version)."""
    session = object_session(event)
    bind = session.get_bind() if session is not None else None
    if bind is None or event.id is None or event.version is None or event.updated_at is None:
        return EventDefinition.model_validate(event.definition)
    key = (str(bind.engine.url), event.id, event.version, event.updated_at)
    return _cached(key, lambda: event.definition)


def definition_by_version(
    session: Session, event_id: int, version: int, updated_at: datetime
) -> EventDefinition:
    """Like definition_of, for an event read as columns (not as an Event): the `definition`
    column is read only for a version this process has not validated yet."""
    key = (str(session.get_bind().engine.url), event_id, version, updated_at)
    return _cached(
        key,
        lambda: session.execute(select(Event.definition).where(Event.id == event_id)).scalar_one(),
    )


def _cached(
    key: tuple[str, int, int, datetime], stored: Callable[[], dict[str, Any]]
) -> EventDefinition:
    definition = _DEFINITIONS.get(key)
    if definition is None:
        definition = EventDefinition.model_validate(stored())
        if len(_DEFINITIONS) >= _DEFINITIONS_MAX:
            _DEFINITIONS.clear()
        _DEFINITIONS[key] = definition
    return definition


def _event_by_slug(for_update: bool, with_definition: bool) -> Select[Event]:
    stmt = select(Event).where(Event.slug == bindparam("slug", type_=Event.slug.type))
    if not with_definition:
        stmt = stmt.options(defer(Event.definition))
    return stmt.with_for_update() if for_update else stmt


# Built once (the inbox and /anmal read an event for nearly every request): (for_update,
# with_definition) -> the SELECT by slug.
_BY_SLUG = {
    (lock, full): _event_by_slug(lock, full) for lock in (False, True) for full in (False, True)
}


def get_event(
    session: Session, slug: str, *, for_update: bool = False, with_definition: bool = True
) -> Event | None:
    """The event with this slug; with_definition=False leaves the large `definition` JSON unread
    (definition_of then reads it only for a version this process has not validated yet)."""
    return session.scalars(_BY_SLUG[for_update, with_definition], {"slug": slug}).one_or_none()


def list_events(session: Session) -> list[Event]:
    return list(session.scalars(select(Event).order_by(Event.starts_at, Event.slug)))


def open_events(session: Session, *, now: datetime) -> list[Event]:
    """Events whose registration is open right now (the `definition` column is read only when
    definition_of needs it, inside the session)."""
    return list(
        session.scalars(
            select(Event)
            .options(defer(Event.definition))
            .where(Event.opens_at <= now, Event.closes_at > now, Event.purged_at.is_(None))
            .order_by(Event.closes_at)
        )
    )


def upcoming_events(
    session: Session, *, now: datetime, with_definition: bool = True
) -> list[Event]:
    """Events not yet over (registration may be closed)."""
    stmt = select(Event).where(Event.ends_at > now, Event.purged_at.is_(None))
    if not with_definition:
        stmt = stmt.options(defer(Event.definition))
    return list(session.scalars(stmt.order_by(Event.starts_at)))


def _orphan_check(session: Session, event: Event, new: EventDefinition) -> list[str]:
    reasons: list[str] = []
    new_keys = {g.key for g in new.groups}
    rows = session.execute(
        select(GroupChoice.group_key, Registration.name, Registration.user_id)
        .join(Registration, GroupChoice.registration_id == Registration.id)
        .where(
            GroupChoice.event_id == event.id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .order_by(GroupChoice.group_key, Registration.name)
    ).all()
    by_group: dict[str, list[str]] = {}
    for key, name, user_id in rows:
        if key not in new_keys:
            by_group.setdefault(key, []).append(f"{name} (<@{user_id}>)")
    for key, people in by_group.items():
        reasons.append(  # read at the command line: Swedish first, as its other messages
            f"gruppen '{key}' tas bort men är vald av {len(people)} / group '{key}' is removed "
            f"but chosen by {len(people)}: " + ", ".join(people)
        )
    if new.registration.seat_limit < event.registered_count:
        limit, registered = new.registration.seat_limit, event.registered_count
        reasons.append(
            f"seat_limit {limit} är lägre än de {registered} som redan är anmälda / seat_limit "
            f"{limit} is below the {registered} people already registered"
        )
    return reasons


def _apply(event: Event, definition: EventDefinition, now: datetime) -> None:
    event.title = definition.title
    event.definition = definition.model_dump(mode="json")
    event.timezone = definition.timezone
    event.language = definition.language
    event.starts_at = definition.starts_at
    event.ends_at = definition.ends_at
    event.opens_at = definition.opens_at
    event.closes_at = definition.closes_at
    event.seat_limit = definition.registration.seat_limit
    event.updated_at = now


def upsert_event(session: Session, definition: EventDefinition, *, now: datetime) -> UpsertResult:
    """Create or update the event with this slug; refuse edits that orphan registrations."""
    event = get_event(session, definition.slug, for_update=True)
    if event is None:
        event = Event(
            slug=definition.slug,
            registered_count=0,
            queue_counter=0,
            version=1,
            created_at=now,
        )
        _apply(event, definition, now)
        session.add(event)
        session.flush()
        return UpsertResult(event=event, created=True, changed=True)
    new_json = definition.model_dump(mode="json")
    if new_json == event.definition:
        return UpsertResult(event=event, created=False, changed=False)
    reasons = _orphan_check(session, event, definition)
    if reasons:
        raise EventChangeRefused(reasons)
    _apply(event, definition, now)
    event.version += 1
    session.flush()
    promoted = fill_free_seats(session, event, now=now)
    return UpsertResult(event=event, created=False, changed=True, promoted_user_ids=promoted)


def count_by_status(session: Session, event_id: int) -> dict[str, int]:
    """How many of the event's registrations are in each status."""
    rows = session.execute(
        select(Registration.status, func.count())
        .where(Registration.event_id == event_id)
        .group_by(Registration.status)
    ).all()
    return {status: n for status, n in rows}


def first_choices(session: Session, event_id: int) -> dict[str, int]:
    """How many chose each group first (groups nobody chose first are left out)."""
    rows = session.execute(
        select(GroupChoice.group_key, func.count())
        .where(GroupChoice.event_id == event_id, GroupChoice.rank == 1)
        .group_by(GroupChoice.group_key)
    ).all()
    return {group_key: n for group_key, n in rows}
