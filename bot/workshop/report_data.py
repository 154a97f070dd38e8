"""Everything the day's documentation shows, read once from the database into plain values.

Only what the documentation may name is read: group members' names and organisations, what the
groups wrote in their notes, counts and the anonymous feedback (no e-mail, no role, no comment
from the registration form)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.events.schema import EventDefinition, FocusArea, Group
from bot.events.service import definition_of
from bot.workshop.feedback import FeedbackResults, feedback_results
from bot.workshop.notes import GroupNotes, notes_by_group
from storage.models import (
    Assignment,
    AssignmentStatus,
    Event,
    GroupChoice,
    Registration,
    RegistrationStatus,
)


@dataclass(frozen=True)
class Member:
    name: str
    organisation: str
    rank: int | None  # which choice the person got (1-3), None for an unlisted group


@dataclass(frozen=True)
class GroupReport:
    group: Group
    members: list[Member]
    notes: GroupNotes
    chosen: tuple[int, int, int]  # how many listed the group 1st, 2nd, 3rd


@dataclass(frozen=True)
class AreaReport:
    area: FocusArea
    groups: list[GroupReport]


@dataclass(frozen=True)
class DayReport:
    definition: EventDefinition
    registered: int
    waitlisted: int
    cancelled: int
    organisations: list[tuple[str, int]]  # registered per organisation, largest first
    areas: list[AreaReport]
    feedback: FeedbackResults = field(default_factory=FeedbackResults)

    @property
    def groups(self) -> list[GroupReport]:
        return [g for area in self.areas for g in area.groups]


def _placements(session: Session, event: Event) -> dict[str, tuple[str, int | None]]:
    assignment = session.scalars(
        select(Assignment)
        .where(Assignment.event_id == event.id, Assignment.status == AssignmentStatus.PUBLISHED)
        .order_by(Assignment.version.desc())
        .limit(1)
    ).one_or_none()
    if assignment is None:
        return {}
    return {p.user_id: (p.group_key, p.rank) for p in assignment.placements}


def gather_report(session: Session, event: Event) -> DayReport:
    """The documentation's content for the event, as it stands now."""
    definition = definition_of(event)
    registrations = session.scalars(
        select(Registration).where(Registration.event_id == event.id)
    ).all()
    statuses = Counter(r.status for r in registrations)
    registered = {r.user_id: r for r in registrations if r.status == RegistrationStatus.REGISTERED}
    organisations = Counter(r.organisation.strip() or "–" for r in registered.values())
    chosen: Counter[tuple[str, int]] = Counter(
        (c.group_key, c.rank)
        for c in session.scalars(select(GroupChoice).where(GroupChoice.event_id == event.id))
        if c.registration_id in {r.id for r in registered.values()}
    )
    placed = _placements(session, event)
    notes = notes_by_group(session, event)
    areas = []
    for area in definition.focus_areas:
        groups = []
        for group in area.groups:
            members = sorted(
                (Member(registered[u].name, registered[u].organisation, rank)
                 for u, (key, rank) in placed.items() if key == group.key and u in registered),
                key=lambda m: (m.organisation.casefold(), m.name.casefold()),
            )  # fmt: skip
            counts = (chosen[(group.key, 1)], chosen[(group.key, 2)], chosen[(group.key, 3)])
            groups.append(GroupReport(group, members, notes.get(group.key, {}), counts))
        areas.append(AreaReport(area, groups))
    return DayReport(
        definition=definition,
        registered=statuses[RegistrationStatus.REGISTERED],
        waitlisted=statuses[RegistrationStatus.WAITLISTED],
        cancelled=statuses[RegistrationStatus.CANCELLED],
        organisations=sorted(organisations.items(), key=lambda kv: (-kv[1], kv[0])),
        areas=areas,
        feedback=feedback_results(session, event),
    )
