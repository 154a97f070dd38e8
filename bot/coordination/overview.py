"""What a coordinator asks for: registered, waitlisted, preferences per group, seats, deadline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.events.schema import EventDefinition
from bot.events.service import count_by_status, definition_of
from bot.registration.lookup import seats_left
from storage.models import Event, GroupChoice, Registration, RegistrationStatus


@dataclass(frozen=True)
class GroupLine:
    key: str
    name: str
    max_size: int
    by_rank: tuple[int, int, int]  # people with this group as 1st, 2nd, 3rd choice


@dataclass(frozen=True)
class Overview:
    definition: EventDefinition
    registered: int
    waitlisted: int
    cancelled: int
    seat_limit: int
    seats_left: int
    closes_at: datetime
    groups: tuple[GroupLine, ...]


def build_overview(session: Session, event: Event) -> Overview:
    """Counts from the database, preferences of active (registered or waitlisted) people."""
    definition = definition_of(event)
    counts = count_by_status(session, event.id)
    ranks: Counter[tuple[str, int]] = Counter(
        (key, rank)
        for key, rank in session.execute(
            select(GroupChoice.group_key, GroupChoice.rank)
            .join(Registration, GroupChoice.registration_id == Registration.id)
            .where(
                GroupChoice.event_id == event.id,
                Registration.status.in_(
                    (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
                ),
            )
        )
    )
    groups = tuple(
        GroupLine(
            key=g.key,
            name=g.name,
            max_size=g.max_size,
            by_rank=(ranks[(g.key, 1)], ranks[(g.key, 2)], ranks[(g.key, 3)]),
        )  # fmt: skip
        for g in definition.groups
    )
    return Overview(
        definition=definition,
        registered=counts.get(RegistrationStatus.REGISTERED, 0),
        waitlisted=counts.get(RegistrationStatus.WAITLISTED, 0),
        cancelled=counts.get(RegistrationStatus.CANCELLED, 0),
        seat_limit=event.seat_limit,
        seats_left=seats_left(event),
        closes_at=event.closes_at,
        groups=groups,
    )
