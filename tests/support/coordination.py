"""Shared test helpers for the coordinators' features: people, placements, a fast runner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from bot.coordination import broadcast_sending, broadcasts
from bot.coordination.settings import BroadcastSettings
from bot.registration.form import RegistrationForm
from bot.registration.service import submit_registration
from storage.db import Database
from storage.models import Assignment, AssignmentStatus, Event, Placement

COORDINATOR = "U01JGARDEST"  # named in examples/partnerskapsdag-skelleftea-2021.yaml
OUTSIDER = "U0OUTSIDE1"
SLUG = "skelleftea-2021"
GROUP_KEYS = ["larare", "ai", "energi"]


def user(n: int) -> str:
    return f"U0P{n:06d}"


def register_people(db: Database, now: datetime, count: int, *, slug: str = SLUG,
                    locale: str = "sv") -> list[str]:  # fmt: skip
    """count people, first choices cycling through GROUP_KEYS; beyond the seats: waitlisted."""
    users = []
    with db.transaction() as session:
        for n in range(count):
            form = RegistrationForm(
                name=f"Person {n}", organisation=f"Org {n % 7}", role="",
                preferences=(GROUP_KEYS[n % 3],), comment="", consent=True,
            )  # fmt: skip
            submit_registration(session, slug=slug, user_id=user(n), form=form, locale=locale,
                                now=now)  # fmt: skip
            users.append(user(n))
    return users


def publish_placements(db: Database, now: datetime, placements: dict[str, str],
                       *, slug: str = SLUG) -> None:  # fmt: skip
    """A published assignment written directly (placements chosen by the test, not the engine)."""
    with db.transaction() as session:
        event = session.scalars(select(Event).where(Event.slug == slug)).one()
        version = (session.scalar(select(func.max(Assignment.version))) or 0) + 1
        assignment = Assignment(event_id=event.id, version=version,
                                status=AssignmentStatus.PUBLISHED, report={}, created_at=now,
                                published_at=now, published_by=COORDINATOR)  # fmt: skip
        session.add(assignment)
        for user_id, key in placements.items():
            placement = Placement(
                event_id=event.id, user_id=user_id, group_key=key, rank=1, reason="first"
            )
            assignment.placements.append(placement)


def start_broadcast(db: Database, now: datetime, count: int) -> tuple[int, list[str]]:
    """A started broadcast to `count` registered people (its outbox rows recorded): its id and
    the people."""
    people = register_people(db, now, count)
    with db.transaction() as session:
        event = session.scalars(select(Event)).one()
        draft = broadcasts.save_draft(
            session,
            event=event,
            author=COORDINATOR,
            text="Hej",
            audiences=["registered"],
            send_at=None,
            lang="sv",
            now=now,
        )
        broadcasts.confirm(session, draft.id, by=COORDINATOR, now=now)
        assert broadcast_sending.start(session, draft.id, now=now)
    return draft.id, people


def fast_runner(services, rate: float = 200.0):  # noqa: ANN001, ANN201
    """The app's broadcast runner, sending fast and reporting often (tests only)."""
    runner = services.broadcasts
    runner.settings = BroadcastSettings(rate_per_second=rate, workers=4, poll_seconds=0.05,
                                        progress_seconds=0.05)  # fmt: skip
    return runner
