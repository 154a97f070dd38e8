"""Who a broadcast reaches: the event channel, registered people, one group, the waitlist.

Several audiences are a union without duplicates, in a stable order (channel first, then people
in arrival order). A group is taken from the published breakout assignment when there is one,
else from people's first choice; the preview says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import DomainError
from bot.events.service import definition_of
from storage.models import (
    Assignment,
    AssignmentStatus,
    Event,
    GroupChoice,
    Placement,
    Registration,
    RegistrationStatus,
)

GROUP_PREFIX = "group:"


class Audience(StrEnum):
    CHANNEL = "channel"
    REGISTERED = "registered"
    WAITLIST = "waitlist"


class GroupSource(StrEnum):
    PUBLISHED = "published"
    FIRST_CHOICE = "first_choice"


@dataclass(frozen=True)
class Resolved:
    recipients: tuple[str, ...]  # channel ids/names and user ids, each once
    group_source: GroupSource | None = None

    @property
    def count(self) -> int:
        return len(self.recipients)


def group_audience(key: str) -> str:
    return f"{GROUP_PREFIX}{key}"


def check_audiences(event: Event, audiences: list[str]) -> list[str]:
    """The audiences, validated against the event (unknown values are refused)."""
    definition = definition_of(event)
    for audience in audiences:
        if audience.startswith(GROUP_PREFIX):
            if definition.group(audience.removeprefix(GROUP_PREFIX)) is None:
                raise DomainError(
                    "coord.err.unknown_group", group=audience.removeprefix(GROUP_PREFIX)
                )
        elif audience not in set(Audience):
            raise DomainError("coord.err.unknown_audience", audience=audience)
    if not audiences:
        raise DomainError("coord.err.no_audience")
    return list(dict.fromkeys(audiences))


def _users_with_status(session: Session, event_id: int, status: str) -> list[str]:
    return list(
        session.scalars(
            select(Registration.user_id)
            .where(Registration.event_id == event_id, Registration.status == status)
            .order_by(Registration.queue_no)
        )
    )


def _published_assignment_id(session: Session, event_id: int) -> int | None:
    return session.scalar(
        select(Assignment.id)
        .where(Assignment.event_id == event_id, Assignment.status == AssignmentStatus.PUBLISHED)
        .order_by(Assignment.version.desc())
        .limit(1)
    )


def group_members(session: Session, event_id: int, key: str) -> tuple[list[str], GroupSource]:
    """Registered members of a group: published placements, else first choices."""
    registered = (
        select(Registration.user_id)
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .scalar_subquery()
    )
    assignment_id = _published_assignment_id(session, event_id)
    if assignment_id is not None:
        users = session.scalars(
            select(Placement.user_id)
            .where(
                Placement.assignment_id == assignment_id,
                Placement.group_key == key,
                Placement.user_id.in_(registered),
            )
            .order_by(Placement.id)
        )
        return list(users), GroupSource.PUBLISHED
    users = session.scalars(
        select(Registration.user_id)
        .join(GroupChoice, GroupChoice.registration_id == Registration.id)
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.REGISTERED,
            GroupChoice.rank == 1,
            GroupChoice.group_key == key,
        )
        .order_by(Registration.queue_no)
    )
    return list(users), GroupSource.FIRST_CHOICE


def resolve(session: Session, event: Event, audiences: list[str]) -> Resolved:
    """Everyone the audiences reach, each once."""
    recipients: dict[str, None] = {}
    source: GroupSource | None = None
    for audience in check_audiences(event, audiences):
        if audience == Audience.CHANNEL:
            recipients.setdefault(definition_of(event).channel)
        elif audience == Audience.REGISTERED:
            users = _users_with_status(session, event.id, RegistrationStatus.REGISTERED)
            recipients.update(dict.fromkeys(users))
        elif audience == Audience.WAITLIST:
            users = _users_with_status(session, event.id, RegistrationStatus.WAITLISTED)
            recipients.update(dict.fromkeys(users))
        else:
            users, source = group_members(session, event.id, audience.removeprefix(GROUP_PREFIX))
            recipients.update(dict.fromkeys(users))
    return Resolved(tuple(recipients), source)
