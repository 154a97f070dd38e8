"""Which calendar file a person is owed, recorded in the outbox with the change that causes it.

Each person's copy of an event has one UID; the SEQUENCE they last received is kept in
calendar_invites, with a fingerprint of what the file said (title, time, link, place). A new
registration or a promotion sends SEQUENCE 0 (or the next one after a cancellation); a reloaded
event whose fingerprint changed sends everyone an update; a cancellation (theirs, or the whole
event) sends METHOD:CANCEL. The outbox key holds the sequence: each file goes out once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from bot import outbox
from bot.events.schema import EventDefinition
from bot.events.service import definition_of
from bot.i18n import normalise_language, t
from bot.invites.ics import Invitation, build_ics, ics_filename, uid_for
from bot.registration import batch
from storage.models import CalendarInvite, Event, Registration, RegistrationStatus

__all__ = ["CalendarInvite", "Person", "cancel", "forget", "invite", "person_of", "refresh"]

KIND = "calendar"
ICS_MIME = "text/calendar"


def fingerprint(definition: EventDefinition) -> str:
    """What, if changed, makes a calendar update worth sending."""
    fields = [definition.title, definition.starts_at.isoformat(), definition.ends_at.isoformat(),
              definition.join_url or "", definition.location]  # fmt: skip
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Person:
    """Who a file is for (kept apart from the registration so an erasure can still cancel)."""

    user_id: str
    name: str = ""
    email: str = ""
    locale: str = "sv"

    @classmethod
    def of(cls, registration: Registration) -> Person:
        return cls(registration.user_id, registration.name, registration.email or "",
                   registration.locale)  # fmt: skip


def _record(
    session: Session,
    event: Event,
    definition: EventDefinition,
    person: Person,
    row: CalendarInvite | None,
    *,
    cancel: bool,
    now: datetime,
) -> int | None:
    """Advance the person's sequence and record the file in the outbox; the new message id."""
    sequence = 0 if row is None else row.sequence + 1
    is_update = row is not None and not row.cancelled
    if row is None:
        row = CalendarInvite(event_id=event.id, user_id=person.user_id, sequence=0,
                             fingerprint="", cancelled=False, updated_at=now)  # fmt: skip
        session.add(row)
    row.sequence, row.cancelled, row.updated_at = sequence, cancel, now
    row.fingerprint = fingerprint(definition)
    lang = normalise_language(person.locale)
    invitation = Invitation(
        uid=uid_for(event.slug, person.user_id), sequence=sequence, cancel=cancel,
        attendee_email=person.email, attendee_name=person.name,
    )  # fmt: skip
    if cancel:
        comment = "around.ics.cancel_comment"
    else:
        comment = "around.ics.update_comment" if is_update else "around.ics.comment"
    if session.autoflush:  # an inbox batch (autoflush off) writes its rows in one flush
        session.flush()
    return outbox.enqueue(
        session,
        key=f"ics:{event.slug}:{person.user_id}:{sequence}",
        channel=person.user_id,
        text=t(comment, lang, title=definition.title),
        kind=KIND,
        event_id=event.id,
        now=now,
        attachment={
            "filename": ics_filename(definition, invitation, lang),
            "title": definition.title,
            "mime": ICS_MIME,
            "content": build_ics(definition, invitation, now=now, lang=lang).decode("utf-8"),
        },
    )


_ROW = select(CalendarInvite).where(
    CalendarInvite.event_id == bindparam("event_id", type_=CalendarInvite.event_id.type),
    CalendarInvite.user_id == bindparam("user_id", type_=CalendarInvite.user_id.type),
)


def _row(session: Session, event: Event, user_id: str) -> CalendarInvite | None:
    return session.scalars(_ROW, {"event_id": event.id, "user_id": user_id}).one_or_none()


def invite(session: Session, event: Event, user_id: str, *, now: datetime) -> list[int]:
    """The person holds a seat: send the invitation unless their calendar already has it."""
    registration = batch.find(session, event.id, user_id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        return []
    definition = definition_of(event)
    if definition.cancelled or now >= definition.ends_at:
        return []
    row = _row(session, event, user_id)
    if row is not None and not row.cancelled and row.fingerprint == fingerprint(definition):
        return []
    message_id = _record(session, event, definition, Person.of(registration), row, cancel=False,
                         now=now)  # fmt: skip
    return [message_id] if message_id else []


def person_of(session: Session, event: Event, user_id: str) -> Person:
    """The person as the files name them (before an erasure takes the registration away)."""
    registration = batch.find(session, event.id, user_id)
    return Person.of(registration) if registration is not None else Person(user_id)


def cancel(session: Session, event: Event, person: Person, *, now: datetime) -> list[int]:
    """Take the day out of the person's calendar (if we ever put it there)."""
    row = _row(session, event, person.user_id)
    if row is None or row.cancelled:
        return []
    message_id = _record(session, event, definition_of(event), person, row, cancel=True, now=now)
    return [message_id] if message_id else []


def refresh(session: Session, event: Event, *, now: datetime) -> list[int]:
    """After a reload: an update to everyone whose file is out of date, or a CANCEL to all
    when the coordinators cancelled the event."""
    definition = definition_of(event)
    rows = session.scalars(
        select(CalendarInvite)
        .where(CalendarInvite.event_id == event.id, CalendarInvite.cancelled.is_(False))
        .order_by(CalendarInvite.id)
    ).all()
    ids: list[int] = []
    current = fingerprint(definition)
    for row in rows:
        if not definition.cancelled and row.fingerprint == current:
            continue
        registration = batch.find(session, event.id, row.user_id)
        if registration is None:
            continue
        message_id = _record(session, event, definition, Person.of(registration), row,
                             cancel=definition.cancelled, now=now)  # fmt: skip
        ids += [message_id] if message_id else []
    return ids


def forget(session: Session, event: Event, user_id: str) -> None:
    """Erasure: no trace of the person's invitations is kept."""
    session.execute(
        delete(CalendarInvite).where(
            CalendarInvite.event_id == event.id, CalendarInvite.user_id == user_id
        )
    )
