"""What coordinators review before publishing: the newest draft, group by group, with the
quality figures the engine's report computed (against first-come-first-served)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import DomainError
from bot.events.service import definition_of, get_event
from storage.models import Assignment, Event, Pin, Registration


@dataclass(frozen=True)
class ReviewMember:
    user_id: str
    name: str
    organisation: str
    rank: int | None  # the choice the person got; None: a group they did not list
    pinned: bool = False


@dataclass(frozen=True)
class ReviewGroup:
    key: str
    name: str
    min_size: int
    max_size: int
    members: list[ReviewMember]
    org_counts: dict[str, int]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class DraftReview:
    slug: str
    title: str
    version: int
    status: str
    groups: list[ReviewGroup]
    notes: list[str] = field(default_factory=list)
    quality: dict[str, Any] = field(default_factory=dict)
    baseline: dict[str, Any] | None = None
    unplaced: int = 0


def _event(session: Session, slug: str) -> Event:
    event = get_event(session, slug)
    if event is None:
        raise DomainError("workshop.unknown_event", slug=slug)
    return event


def _member(user_id: str, reg: Registration | None, rank: int | None, pinned: bool) -> ReviewMember:
    if reg is None:
        return ReviewMember(user_id, user_id, "", rank, pinned)
    return ReviewMember(user_id, reg.name, reg.organisation, rank, pinned)


def draft_review(session: Session, *, slug: str) -> DraftReview:
    """The newest assignment version of the event (draft or published), ready to show."""
    event = _event(session, slug)
    assignment = session.scalars(
        select(Assignment)
        .where(Assignment.event_id == event.id)
        .order_by(Assignment.version.desc())
        .limit(1)
    ).one_or_none()
    if assignment is None:
        raise DomainError("breakouts.no_draft", slug=slug)
    definition = definition_of(event)
    people = {
        r.user_id: r
        for r in session.scalars(select(Registration).where(Registration.event_id == event.id))
    }
    pinned = set(session.scalars(select(Pin.user_id).where(Pin.event_id == event.id)))
    groups = []
    for group in definition.groups:
        members = sorted(
            (_member(p.user_id, people.get(p.user_id), p.rank, p.user_id in pinned)
             for p in assignment.placements if p.group_key == group.key),
            key=lambda m: (m.organisation.casefold(), m.name.casefold()),
        )  # fmt: skip
        orgs: dict[str, int] = {}
        for member in members:
            orgs[member.organisation] = orgs.get(member.organisation, 0) + 1
        mix = dict(sorted(orgs.items(), key=lambda kv: -kv[1]))
        groups.append(
            ReviewGroup(group.key, group.name, group.min_size, group.max_size, members, mix)
        )
    report = assignment.report or {}
    return DraftReview(
        slug=slug,
        title=definition.title,
        version=assignment.version,
        status=assignment.status,
        groups=groups,
        notes=list(report.get("notes") or []),
        quality=report,
        baseline=report.get("baseline"),
        unplaced=len(report.get("unplaced") or []),
    )
