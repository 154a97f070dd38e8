"""Drafting, adjusting and publishing an event's breakout groups (storage around bot.assignment).

A draft is a new Assignment version computed from the registered participants, the previous
version (so a re-run moves as few people as possible) and the coordinators' pins (never moved).
Publishing marks the latest draft as the one the scheduler posts and participants see.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session

from bot import assignment as engine
from bot.errors import DomainError
from bot.events.service import definition_of, get_event
from storage.models import (
    Assignment,
    AssignmentStatus,
    Event,
    Pin,
    Placement,
    Registration,
    RegistrationStatus,
)


@dataclass(frozen=True)
class Drafted:
    assignment_id: int
    version: int
    result: engine.AssignmentResult


def _jsonable(value: Any) -> Any:
    """A report as plain JSON (dataclasses, enums, tuples, dict keys as strings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return _jsonable(value.model_dump())
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def _event(session: Session, slug: str, *, lock: bool = False) -> Event:
    event = get_event(session, slug, for_update=lock)
    if event is None:
        raise DomainError("reg.unknown_event", slug=slug)
    return event


def latest(session: Session, event_id: int, *, published: bool = False) -> Assignment | None:
    """The newest assignment version (or the newest published one)."""
    stmt = select(Assignment).where(Assignment.event_id == event_id)
    if published:
        stmt = stmt.where(Assignment.status == AssignmentStatus.PUBLISHED)
    return session.scalars(stmt.order_by(Assignment.version.desc()).limit(1)).one_or_none()


def build_input(session: Session, event: Event) -> engine.AssignmentInput:
    """The engine's input: registered people, the event's groups, previous placements, pins."""
    definition = definition_of(event)
    registrations = session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .order_by(Registration.queue_no)
    ).all()
    present = {r.user_id for r in registrations}
    previous_assignment = latest(session, event.id)
    previous = {
        p.user_id: p.group_key
        for p in (previous_assignment.placements if previous_assignment else [])
        if p.user_id in present
    }
    pins = session.scalars(select(Pin).where(Pin.event_id == event.id)).all()
    return engine.AssignmentInput(
        participants=tuple(
            engine.Participant(
                id=r.user_id, organisation=r.organisation, preferences=tuple(r.preferences)
            )
            for r in registrations
        ),
        groups=tuple(
            engine.Group(key=g.key, name=g.name, min_size=g.min_size, max_size=g.max_size)
            for g in definition.groups
        ),
        org_cap_share=definition.assignment.org_cap_share,
        seed=definition.assignment.seed,
        previous=previous,
        pinned={p.user_id: p.group_key for p in pins if p.user_id in present},
    )


def draft(session: Session, *, slug: str, now: datetime) -> Drafted:
    """Compute and store a new draft version."""
    event = _event(session, slug, lock=True)
    result = engine.assign(build_input(session, event))
    version = (
        session.scalar(select(func.max(Assignment.version)).where(Assignment.event_id == event.id))
        or 0
    ) + 1
    assignment = Assignment(
        event_id=event.id,
        version=version,
        status=AssignmentStatus.DRAFT,
        report=_jsonable(result.report),
        created_at=now,
    )
    session.add(assignment)
    for placement in result.placements.values():
        assignment.placements.append(
            Placement(
                event_id=event.id,
                user_id=placement.participant_id,
                group_key=placement.group_key,
                rank=placement.rank,
                reason=_jsonable(placement.reason),
            )
        )
    session.flush()
    return Drafted(assignment.id, version, result)


def redraft_if_unpublished(session: Session, *, slug: str, now: datetime) -> Drafted | None:
    """Re-draft when the newest version is an unpublished draft (a late cancellation or
    promotion); the previous draft is the starting point, so as few people as possible move."""
    event = _event(session, slug, lock=True)
    newest = latest(session, event.id)
    if newest is None or newest.status != AssignmentStatus.DRAFT:
        return None
    return draft(session, slug=slug, now=now)


def publish(session: Session, *, slug: str, by: str, now: datetime) -> Assignment:
    """Publish the newest draft; the previously published version is superseded."""
    event = _event(session, slug, lock=True)
    newest = latest(session, event.id)
    if newest is None:
        raise DomainError("breakouts.no_draft", slug=slug)
    if newest.status == AssignmentStatus.PUBLISHED:
        return newest
    for old in session.scalars(
        select(Assignment).where(
            Assignment.event_id == event.id, Assignment.status == AssignmentStatus.PUBLISHED
        )
    ):
        old.status = AssignmentStatus.SUPERSEDED
    newest.status = AssignmentStatus.PUBLISHED
    newest.published_at = now
    newest.published_by = by
    session.flush()
    return newest


def move(
    session: Session, *, slug: str, user_id: str, group_key: str, by: str, now: datetime
) -> Drafted:
    """Pin a person to a group (a coordinator's move) and re-draft around the pin."""
    event = _event(session, slug, lock=True)
    if definition_of(event).group(group_key) is None:
        raise DomainError("breakouts.unknown_group", group=group_key)
    registered = session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id,
            Registration.user_id == user_id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    if not registered:
        raise DomainError("breakouts.not_registered", user=user_id)
    session.execute(delete(Pin).where(Pin.event_id == event.id, Pin.user_id == user_id))
    session.add(
        Pin(event_id=event.id, user_id=user_id, group_key=group_key, pinned_by=by, created_at=now)
    )
    session.flush()
    return draft(session, slug=slug, now=now)


def unpin(session: Session, *, slug: str, user_id: str) -> bool:
    event = _event(session, slug)
    result = session.execute(delete(Pin).where(Pin.event_id == event.id, Pin.user_id == user_id))
    return bool(cast(CursorResult[Any], result).rowcount)


def placements(session: Session, *, slug: str, published: bool = True) -> dict[str, Placement]:
    """user id -> placement in the newest (published) version; empty if there is none."""
    event = _event(session, slug)
    assignment = latest(session, event.id, published=published)
    return {p.user_id: p for p in assignment.placements} if assignment else {}
