"""Who an e-mail goes to instead of a refused DM: the address the person registered with."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.events.service import definition_of
from storage.models import Event, Registration


@dataclass(frozen=True)
class MailRecipient:
    email: str
    name: str
    event_title: str
    contact_name: str


def mail_recipient(session: Session, *, event_id: int | None, user_id: str) -> MailRecipient | None:
    """The person's registered address for the message's event (else their newest one)."""
    stmt = (
        select(Registration, Event)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user_id, Registration.email.is_not(None))
    )
    if event_id is not None:
        stmt = stmt.where(Registration.event_id == event_id)
    row = session.execute(stmt.order_by(Registration.updated_at.desc()).limit(1)).first()
    if row is None or not row[0].email:
        return None
    registration, event = row
    definition = definition_of(event)
    contact = definition.contact.name if definition.contact else definition.title
    return MailRecipient(registration.email or "", registration.name, definition.title, contact)
