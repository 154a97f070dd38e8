"""Registration rules: seats, waitlist, deadline, edits, cancellation and erasure (reads are in
bot.registration.lookup).

Every function takes a session it does not own and locks the event row first, so all changes to
one event's seats happen one at a time (PostgreSQL: SELECT ... FOR UPDATE; SQLite: BEGIN
IMMEDIATE). The seat counter is guarded by a CHECK constraint, one registration per person and
event by a unique constraint, and arrival order is the event's queue counter taken under the lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.errors import DomainError
from bot.events.seats import fill_free_seats
from bot.events.service import get_event
from bot.registration import batch
from bot.registration.form import RegistrationForm
from bot.registration.lookup import ACTIVE, Snapshot, find, snapshot
from storage.models import (
    Event,
    GroupChoice,
    InboxItem,
    OutboxMessage,
    Pin,
    Placement,
    Registration,
    RegistrationStatus,
)


@dataclass(frozen=True)
class SubmitOutcome:
    registration: Snapshot
    created: bool
    changed: bool
    promoted_user_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CancelOutcome:
    previous_status: str
    promoted_user_ids: list[str]


def _event_for_change(
    session: Session, slug: str, *, now: datetime, editing: bool, locked: Event | None = None
) -> Event:
    """The event row, locked (or `locked`: the caller already holds its lock in this session)."""
    event = locked or get_event(session, slug, for_update=True, with_definition=False)
    if event is None or event.purged_at is not None:
        raise DomainError("reg.unknown_event", slug=slug)
    if editing and now < event.opens_at:
        raise DomainError("reg.not_open", slug=slug)
    if editing and now >= event.closes_at:
        raise DomainError("reg.closed", slug=slug)
    return event


def _set_choices(
    session: Session, registration: Registration, preferences: tuple[str, ...]
) -> None:
    registration.choices.clear()
    session.flush()  # delete old ranks before inserting new ones (unique per rank)
    for rank, key in enumerate(preferences, start=1):
        registration.choices.append(
            GroupChoice(event_id=registration.event_id, rank=rank, group_key=key)
        )


def _take_place_in_queue(event: Event, registration: Registration) -> None:
    """A new arrival: a seat if one is free, otherwise the end of the waitlist."""
    event.queue_counter += 1
    registration.queue_no = event.queue_counter
    if event.registered_count < event.seat_limit:
        event.registered_count += 1
        registration.status = RegistrationStatus.REGISTERED
    else:
        registration.status = RegistrationStatus.WAITLISTED


def submit_registration(
    session: Session,
    *,
    slug: str,
    user_id: str,
    form: RegistrationForm,
    locale: str,
    now: datetime,
    team_id: str | None = None,
    email: str | None = None,
    event: Event | None = None,
) -> SubmitOutcome:
    """Register (or update the registration of) a person; idempotent for an identical form.

    team_id is the home workspace of a person of a partner organisation (else None: ours).
    The e-mail typed in the form wins; else `email` (from the Slack profile) when given; an
    edit with neither keeps the stored one. `event`: the event row when the caller already
    holds its lock in this session."""
    event = _event_for_change(session, slug, now=now, editing=True, locked=event)
    registration = batch.find(session, event.id, user_id)
    chosen_email = form.email or email
    if registration is not None and chosen_email and registration.email != chosen_email:
        registration.email = chosen_email
    fingerprint = form.fingerprint()
    if (
        registration is not None
        and registration.status in ACTIVE
        and registration.fingerprint == fingerprint
    ):
        return SubmitOutcome(snapshot(session, registration, slug), created=False, changed=False)
    created = registration is None or registration.status == RegistrationStatus.CANCELLED
    new = registration is None
    if registration is None:
        registration = Registration(event_id=event.id, user_id=user_id, created_at=now, revision=0)
    if created:
        _take_place_in_queue(event, registration)
        registration.cancelled_at = None
    registration.name = form.name
    registration.organisation = form.organisation
    registration.role = form.role
    registration.comment = form.comment
    registration.email = chosen_email or registration.email
    registration.team_id = team_id or registration.team_id
    registration.locale = locale
    registration.consent_at = now
    registration.fingerprint = fingerprint
    registration.revision = (registration.revision or 0) + 1
    registration.updated_at = now
    if new:  # its choices go in with it (nothing to load or delete)
        registration.choices = [
            GroupChoice(event_id=event.id, rank=rank, group_key=key)
            for rank, key in enumerate(form.preferences, start=1)
        ]
        if batch.active(session):  # in a batch, written with the others as the batch ends
            batch.add_new(session, registration)
        else:
            session.add(registration)
            session.flush()
    else:
        session.flush()
        _set_choices(session, registration, form.preferences)
        session.flush()
    place = batch.join_waitlist_tail(session, registration) if created else None
    return SubmitOutcome(
        snapshot(session, registration, slug, place=place), created=created, changed=True
    )


def change_groups(
    session: Session,
    *,
    slug: str,
    user_id: str,
    preferences: tuple[str, ...],
    now: datetime,
    event: Event | None = None,
) -> SubmitOutcome:
    """Replace only the ranked group choices of an active registration."""
    event = _event_for_change(session, slug, now=now, editing=True, locked=event)
    registration = batch.find(session, event.id, user_id)
    if registration is None or registration.status not in ACTIVE:
        raise DomainError("reg.not_registered", slug=slug)
    if tuple(registration.preferences) == preferences:
        return SubmitOutcome(snapshot(session, registration, slug), created=False, changed=False)
    form = RegistrationForm(
        name=registration.name,
        organisation=registration.organisation,
        role=registration.role,
        preferences=preferences,
        comment=registration.comment,
        consent=True,
        email=registration.email or "",
    )
    _set_choices(session, registration, preferences)
    registration.fingerprint = form.fingerprint()
    registration.revision += 1
    registration.updated_at = now
    session.flush()
    return SubmitOutcome(snapshot(session, registration, slug), created=False, changed=True)


def cancel_registration(
    session: Session, *, slug: str, user_id: str, now: datetime
) -> CancelOutcome:
    """Cancel; a freed seat goes to the first on the waitlist at once."""
    event = _event_for_change(session, slug, now=now, editing=False)
    registration = find(session, event.id, user_id)
    if registration is None or registration.status not in ACTIVE:
        raise DomainError("reg.not_registered", slug=slug)
    previous = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.updated_at = now
    if previous == RegistrationStatus.REGISTERED:
        event.registered_count -= 1
    session.flush()
    return CancelOutcome(previous, fill_free_seats(session, event, now=now))


def erase_registration(
    session: Session, *, slug: str, user_id: str, now: datetime
) -> CancelOutcome:
    """Erase everything stored about the person for this event (GDPR), freeing any seat."""
    event = _event_for_change(session, slug, now=now, editing=False)
    registration = find(session, event.id, user_id)
    if registration is None:
        raise DomainError("reg.nothing_to_erase", slug=slug)
    previous = registration.status
    if previous == RegistrationStatus.REGISTERED:
        event.registered_count -= 1
    session.delete(registration)
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.event_id == event.id, OutboxMessage.channel == user_id
        )
    )
    session.execute(
        delete(InboxItem).where(InboxItem.event_slug == slug, InboxItem.user_id == user_id)
    )
    for table in (Placement, Pin):  # breakout groups they were in or pinned to
        session.execute(delete(table).where(table.event_id == event.id, table.user_id == user_id))
    session.flush()
    return CancelOutcome(previous, fill_free_seats(session, event, now=now))
