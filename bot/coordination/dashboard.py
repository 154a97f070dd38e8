"""What the Home tab shows: a participant's events, and a coordinator's live figures per event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.coordination import broadcast_sending, broadcasts
from bot.coordination.access import CoordinatorCheck
from bot.coordination.commands import coordinated_events
from bot.coordination.overview import Overview, build_overview
from bot.events.schema import EventDefinition
from bot.events.service import definition_of
from bot.i18n import DEFAULT_LANGUAGE, normalise_language
from bot.registration.lookup import active_registrations, waitlist_position
from bot.workshop.feedback import FeedbackResults, feedback_results
from storage.models import (
    Assignment,
    AssignmentStatus,
    BroadcastStatus,
    Event,
    OutboxMessage,
    OutboxStatus,
    Placement,
)

MAX_NEXT_POSTS = 5
PROBLEMS = (OutboxStatus.FAILED, OutboxStatus.MISSED, OutboxStatus.UNKNOWN)


@dataclass(frozen=True)
class ParticipantItem:
    definition: EventDefinition
    status: str
    waitlist_position: int | None
    group_key: str | None  # from the published assignment
    preferences: tuple[str, ...]
    lang: str = DEFAULT_LANGUAGE  # the language the person registered in


@dataclass(frozen=True)
class NextPost:
    at: datetime
    kind: str  # outbox kind, or "broadcast"
    count: int
    broadcast_id: int | None = None
    audiences: tuple[str, ...] = ()  # a broadcast's audiences
    text: str = ""  # a broadcast's message


@dataclass(frozen=True)
class Dashboard:
    overview: Overview
    next_posts: tuple[NextPost, ...]
    problems: int
    sending: tuple[broadcast_sending.Progress, ...]
    feedback: FeedbackResults | None = None  # once anyone answered the feedback question


def participant_items(session: Session, *, user_id: str, now: datetime) -> list[ParticipantItem]:
    items = []
    for event, registration in active_registrations(session, user_id=user_id, now=now):
        group = session.scalar(
            select(Placement.group_key)
            .join(Assignment, Placement.assignment_id == Assignment.id)
            .where(
                Assignment.event_id == event.id,
                Assignment.status == AssignmentStatus.PUBLISHED,
                Placement.user_id == user_id,
            )
            .order_by(Assignment.version.desc())
            .limit(1)
        )
        items.append(ParticipantItem(
            definition_of(event), registration.status,
            waitlist_position(session, registration), group, tuple(registration.preferences),
            normalise_language(registration.locale),
        ))  # fmt: skip
    return items


def _next_posts(session: Session, event_id: int, now: datetime) -> tuple[NextPost, ...]:
    rows = session.execute(
        select(OutboxMessage.due_at, OutboxMessage.kind, func.count())
        .where(
            OutboxMessage.event_id == event_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.due_at > now,
        )
        .group_by(OutboxMessage.due_at, OutboxMessage.kind)
        .order_by(OutboxMessage.due_at)
        .limit(MAX_NEXT_POSTS)
    ).all()
    posts = [NextPost(at, kind, n) for at, kind, n in rows]
    for b in broadcasts.for_event(session, event_id, statuses=(BroadcastStatus.SCHEDULED,)):
        posts.append(NextPost(b.send_at or now, "broadcast", 1, broadcast_id=b.id,
                              audiences=tuple(b.audiences), text=b.text))  # fmt: skip
    return tuple(sorted(posts, key=lambda p: p.at)[:MAX_NEXT_POSTS])


def _ended_events(
    session: Session, check: CoordinatorCheck, user_id: str, *, now: datetime
) -> list[Event]:
    """Events this person coordinates that are over but not purged, newest first, while their
    feedback and follow-up matter (until the follow-up DM's day, at least a week)."""
    ended = session.scalars(
        select(Event)
        .where(Event.ends_at <= now, Event.purged_at.is_(None))
        .order_by(Event.ends_at.desc())
    )
    result = []
    for event in ended:
        definition = definition_of(event)
        days = max(definition.follow_up.after_days or 0, 7)
        recent = now - event.ends_at <= timedelta(days=days)
        if recent and check.is_coordinator(definition, user_id):
            result.append(event)
    return result


def dashboards(
    session: Session, check: CoordinatorCheck, *, user_id: str, now: datetime
) -> list[Dashboard]:
    """One dashboard per upcoming event the person coordinates (none for others)."""
    result = []
    for event in [*coordinated_events(session, check, user_id, now=now),
                  *_ended_events(session, check, user_id, now=now)]:  # fmt: skip
        problems = session.scalar(
            select(func.count()).where(
                OutboxMessage.event_id == event.id, OutboxMessage.status.in_(PROBLEMS)
            )
        )
        sending = tuple(
            broadcast_sending.progress(session, b.id)
            for b in broadcasts.for_event(session, event.id, statuses=(BroadcastStatus.SENDING,))
        )
        feedback = feedback_results(session, event)
        result.append(Dashboard(build_overview(session, event), _next_posts(session, event.id, now),
                                problems or 0, sending,
                                feedback if feedback.total else None))  # fmt: skip
    return result


def home_language(items: list[ParticipantItem], boards: list[Dashboard], default: str) -> str:
    """The language of the Home tab's headings: the one the person registered in for their next
    event, else that of an event they coordinate, else the app's default (its dashboards and
    registrations each speak their own: bot/blocks/home.build_home)."""
    chosen = [item.lang for item in items]  # items: soonest event first
    chosen += [board.overview.definition.language for board in boards]
    return chosen[0] if chosen else default
