"""Who a post goes to: registrations in queue order and the published breakout placements."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.events.schema import EventDefinition
from storage.models import Event, Registration, RegistrationStatus


def registrations(
    session: Session, event: Event, *, status: str | None = None
) -> list[Registration]:
    """Registered and waitlisted people (or those of one status), in arrival order."""
    wanted = [status] if status else [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status.in_(wanted))
            .order_by(Registration.queue_no)
        )
    )


def placements_of(session: Session, event: Event) -> dict[str, str]:
    """user id -> group key in the newest published assignment (empty when none is published)."""
    from bot.breakouts import service as breakouts  # imports the engine: only when needed

    placed = breakouts.placements(session, slug=event.slug, published=True)
    return {user_id: p.group_key for user_id, p in placed.items()}


def group_names_of(
    session: Session, event: Event, definition: EventDefinition, user_id: str
) -> list[str]:
    """The names of the person's published group(s), if any."""
    key = placements_of(session, event).get(user_id)
    group = definition.group(key) if key else None
    return [group.name] if group else []
