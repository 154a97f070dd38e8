"""The registration invariants on PostgreSQL under real concurrency (threads, one transaction each).

Seats are never oversold, one registration per person and event, arrival order decides who gets
a seat, a freed seat goes to the first on the waitlist, and every notice is recorded once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.blocks.registration_modal import Prefill, build_registration_modal
from bot.events.schema import EventDefinition
from bot.events.service import get_event
from bot.intake import flows
from bot.registration import lookup
from bot.registration.form import FormField, RegistrationForm
from bot.settings import Settings
from rehearsal.signed_requests import SlackSender
from runtime.bootstrap import build_app
from runtime.server import HttpServer
from storage.db import Database
from storage.models import Event, OutboxMessage, Registration, RegistrationStatus
from tests.conftest import SIGNING_SECRET, load

pytestmark = pytest.mark.postgres

T = TypeVar("T")
SEAT_LIMIT = 30
ALREADY_REGISTERED = 20  # leaves exactly 10 free seats for the rush
RUSH = 60


def form_for(user_id: str) -> RegistrationForm:
    return RegistrationForm(
        name=f"Deltagare {user_id}",
        organisation="Skellefteå kommun",
        role="Lärare",
        preferences=("larare", "ai"),
        comment="",
        consent=True,
    )


def with_seat_limit(definition: EventDefinition, seat_limit: int) -> EventDefinition:
    registration = definition.registration.model_copy(update={"seat_limit": seat_limit})
    return definition.model_copy(update={"registration": registration})


def all_at_once(count: int, work: Callable[[int], T]) -> list[T]:
    """Run work(0..count-1) in count threads released together by a barrier; re-raise errors."""
    barrier = threading.Barrier(count)

    def start(index: int) -> T:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(start, index) for index in range(count)]
        return [future.result() for future in futures]


def register(db: Database, clock, slug: str, user_id: str) -> flows.FlowResult:
    return flows.register(
        db, slug=slug, user_id=user_id, form=form_for(user_id), locale="sv", now=clock.now()
    )


def registrations(db: Database, slug: str) -> list[Registration]:
    with db.transaction() as session:
        event = get_event(session, slug)
        assert event is not None
        return list(
            session.scalars(
                select(Registration)
                .where(Registration.event_id == event.id)
                .order_by(Registration.queue_no)
            )
        )


def positions(db: Database, people: list[Registration]) -> list[int | None]:
    with db.transaction() as session:
        return [lookup.waitlist_position(session, person) for person in people]


def event_row(db: Database, slug: str) -> Event:
    with db.transaction() as session:
        event = get_event(session, slug)
        assert event is not None
        return event


def outbox_rows(db: Database, **where: Any) -> list[OutboxMessage]:
    with db.transaction() as session:
        stmt = select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.id)
        return list(session.scalars(stmt))


@pytest.fixture
def rush_event(pg_db: Database, clock, example: EventDefinition) -> str:
    """An event with SEAT_LIMIT seats of which ALREADY_REGISTERED are taken."""
    load(pg_db, with_seat_limit(example, SEAT_LIMIT), clock)
    for n in range(ALREADY_REGISTERED):
        register(pg_db, clock, example.slug, f"UEARLY{n:03d}")
    return example.slug


def assert_rush_outcome(db: Database, slug: str, rushers: set[str]) -> None:
    """Exactly 10 of the rushers got the last seats, 50 wait in arrival order."""
    people = [p for p in registrations(db, slug) if p.user_id in rushers]
    assert len(people) == RUSH
    registered = [p for p in people if p.status == RegistrationStatus.REGISTERED]
    waitlisted = [p for p in people if p.status == RegistrationStatus.WAITLISTED]
    assert (len(registered), len(waitlisted)) == (SEAT_LIMIT - ALREADY_REGISTERED, RUSH - 10)
    event = event_row(db, slug)
    assert event.registered_count == event.seat_limit == SEAT_LIMIT
    # arrival order: queue numbers are unique and follow the early birds without gaps
    queue = [p.queue_no for p in people]
    assert queue == list(range(ALREADY_REGISTERED + 1, ALREADY_REGISTERED + RUSH + 1))
    assert max(p.queue_no for p in registered) < min(p.queue_no for p in waitlisted)
    # waitlisted is ordered by queue_no, so its positions must read 1..50
    assert positions(db, waitlisted) == list(range(1, len(waitlisted) + 1))


def test_rush_for_the_last_ten_seats(pg_db, clock, rush_event):
    users = [f"URUSH{n:03d}" for n in range(RUSH)]
    results = all_at_once(RUSH, lambda i: register(pg_db, clock, rush_event, users[i]))

    assert_rush_outcome(pg_db, rush_event, set(users))
    # what each person was told in their transaction matches what is stored
    stored = {p.user_id: p for p in registrations(pg_db, rush_event)}
    told = {u: r.outcome.registration for u, r in zip(users, results, strict=True)}
    assert {u: s.status for u, s in told.items()} == {u: stored[u].status for u in users}
    told_positions = sorted(s.waitlist_position for s in told.values() if s.waitlist_position)
    assert told_positions == list(range(1, RUSH - 10 + 1))
    # one confirmation each, recorded with the registration
    confirmations = outbox_rows(pg_db, kind="confirmation")
    assert sorted(m.channel for m in confirmations if m.channel in stored) == sorted(stored)
    assert len(confirmations) == ALREADY_REGISTERED + RUSH


def test_same_form_submitted_twenty_times_at_once_registers_once(pg_db, clock, example):
    load(pg_db, example, clock)
    results = all_at_once(20, lambda _i: register(pg_db, clock, example.slug, "U0PARTIC1"))

    people = registrations(pg_db, example.slug)
    assert [(p.user_id, p.status, p.revision) for p in people] == [
        ("U0PARTIC1", RegistrationStatus.REGISTERED, 1)
    ]
    assert sum(r.outcome.created for r in results) == 1
    assert sum(r.outcome.changed for r in results) == 1
    # one confirmation and one calendar invitation (issue 12), each recorded once
    assert len(outbox_rows(pg_db, kind="confirmation")) == 1
    assert len(outbox_rows(pg_db, kind="calendar")) == 1
    assert len(outbox_rows(pg_db)) == 2
    assert event_row(pg_db, example.slug).registered_count == 1


def test_parallel_cancellations_promote_the_first_of_the_waitlist(pg_db, clock, example):
    load(pg_db, with_seat_limit(example, 10), clock)
    users = [f"UQUEUE{n:03d}" for n in range(25)]
    for user in users:  # one by one: arrival order is the list order
        register(pg_db, clock, example.slug, user)
    leaving = users[:10:2]  # five registered people

    results = all_at_once(
        len(leaving),
        lambda i: flows.cancel(pg_db, slug=example.slug, user_id=leaving[i], now=clock.now()),
    )

    first_five_waiting = users[10:15]
    promoted = [u for r in results for u in r.outcome.promoted_user_ids]
    assert sorted(promoted) == first_five_waiting
    by_user = {p.user_id: p for p in registrations(pg_db, example.slug)}
    assert {u: by_user[u].status for u in leaving} == dict.fromkeys(
        leaving, RegistrationStatus.CANCELLED
    )
    registered = sorted(u for u, p in by_user.items() if p.status == RegistrationStatus.REGISTERED)
    assert registered == sorted(set(users[:15]) - set(leaving))
    still_waiting = [p for p in by_user.values() if p.status == RegistrationStatus.WAITLISTED]
    assert sorted(p.user_id for p in still_waiting) == users[15:]
    assert positions(pg_db, sorted(still_waiting, key=lambda p: p.queue_no)) == list(range(1, 11))
    assert event_row(pg_db, example.slug).registered_count == 10
    notices = outbox_rows(pg_db, kind="promoted")
    assert sorted(m.channel for m in notices) == first_five_waiting


def test_check_constraint_refuses_overselling(pg_db, clock, example):
    load(pg_db, example, clock)
    refused = pytest.raises(IntegrityError, match="ck_events_not_oversold")
    with refused, pg_db.transaction() as session:
        session.execute(update(Event).values(registered_count=Event.seat_limit + 1))
    assert event_row(pg_db, example.slug).registered_count == 0


def test_unique_constraint_refuses_a_second_registration(pg_db, clock, example):
    load(pg_db, example, clock)
    register(pg_db, clock, example.slug, "U0PARTIC1")
    original = registrations(pg_db, example.slug)[0]
    refused = pytest.raises(IntegrityError, match="uq_registrations_event_user")
    with refused, pg_db.transaction() as session:
        session.add(
            Registration(
                event_id=original.event_id,
                user_id=original.user_id,
                status=RegistrationStatus.WAITLISTED,
                queue_no=original.queue_no + 1,  # not a clash on the queue number
                name=original.name,
                organisation=original.organisation,
                role="",
                comment="",
                locale="sv",
                consent_at=clock.now(),
                fingerprint="other",
                revision=1,
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    assert len(registrations(pg_db, example.slug)) == 1
    with pg_db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Registration)) == 1


# ----- the same rush end to end: signed HTTP requests to the served app -----


@pytest.fixture
def pg_sender(pg_db: Database, clock, slack) -> Iterator[SlackSender]:
    """The real app on the PostgreSQL database, served over HTTP, talking to the stand-in."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=pg_db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.api_url,
    )
    app, services = build_app(settings, pg_db, clock=clock)
    server = HttpServer(app).start()
    try:
        yield SlackSender(server.url, SIGNING_SECRET)
    finally:
        server.stop()
        services.close()  # its inbox worker must not outlive the database


def test_rush_for_the_last_ten_seats_over_http(pg_db, clock, slack, example, rush_event, pg_sender):
    definition = with_seat_limit(example, SEAT_LIMIT)
    view = build_registration_modal(
        definition, prefill=Prefill(), seats_left=10, lang="sv"
    ).to_dict()
    users = [f"UHTTP{n:03d}" for n in range(RUSH)]

    def submit(index: int):
        answers = {
            FormField.NAME: f"Deltagare {index}",
            FormField.ORGANISATION: "Umeå universitet",
            FormField.CHOICE_1: "ai",
            FormField.CONSENT: ["consent"],
        }
        return pg_sender.submit_view(view, answers, users[index])

    replies = all_at_once(RUSH, submit)

    assert [r.status for r in replies] == [200] * RUSH
    assert {r.json()["response_action"] for r in replies} == {"update"}
    # acks come first; the inbox worker registers in arrival order, then confirms by DM
    dms = slack.wait_for("chat.postMessage", RUSH, timeout=60)
    assert_rush_outcome(pg_db, rush_event, set(users))
    assert sorted(dm.channel for dm in dms) == sorted(users)
    assert all(dm.ok for dm in dms)
