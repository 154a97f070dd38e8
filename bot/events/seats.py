"""The one seat rule shared by registration changes and event reloads: free seats go to the
first people on the waitlist, in queue order, until the event starts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Event, Registration, RegistrationStatus


def fill_free_seats(session: Session, event: Event, *, now: datetime) -> list[str]:
    """Promote the first waitlisted people into free seats; returns their user ids in order.

    Once the event has started nobody is promoted: a seat freed during the day is no news."""
    promoted: list[str] = []
    free = event.seat_limit - event.registered_count
    if free <= 0 or now >= event.starts_at:
        return promoted
    waiting = session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(Registration.queue_no)
        .limit(free)
    ).all()
    for registration in waiting:
        registration.status = RegistrationStatus.REGISTERED
        registration.updated_at = now
        event.registered_count += 1
        promoted.append(registration.user_id)
    session.flush()
    return promoted
