"""The registration inbox: receipt time decides the deadline, arrival order is kept, nothing
recorded is lost when the process dies before processing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.intake import inbox
from bot.registration.form import FormField
from runtime.web_client import build_web_client
from storage.models import InboxItem, Registration
from tests.conftest import load
from workers.delivery import Deliverer
from workers.inbox import InboxWorker

VALUES = {
    FormField.NAME: "Ida",
    FormField.ORGANISATION: "Umeå universitet",
    FormField.CHOICE_1: "ai",
    FormField.CONSENT: True,
}


def _record(db, slug, user, now):
    with db.transaction() as session:
        return inbox.record(
            session,
            kind=inbox.REGISTER,
            slug=slug,
            user_id=user,
            values={str(k): v for k, v in VALUES.items()},
            lang="sv",
            view_id=None,
            now=now,
        )


def _process_all(db, slug, now):
    results = []
    while True:
        with db.transaction() as session:
            processed = inbox.process_next(session, slug, now=now)
        if processed is None:
            return results
        results.append(processed)


def test_a_submission_received_before_the_deadline_counts_even_if_processed_after(
    db, clock, example
):
    load(db, example, clock)
    _record(db, example.slug, "U1", example.closes_at - timedelta(seconds=1))
    [processed] = _process_all(db, example.slug, example.closes_at + timedelta(minutes=5))
    assert processed.text.startswith(":white_check_mark: Du är anmäld")
    with db.transaction() as session:
        assert session.scalars(select(Registration.status)).one() == "registered"


def test_arrival_order_decides_seats_and_waitlist(db, clock, example):
    small = example.model_copy(
        update={"registration": example.registration.model_copy(update={"seat_limit": 2})}
    )
    load(db, small, clock)
    for user in ("U3", "U1", "U2", "U4"):  # received in this order
        _record(db, example.slug, user, clock.now())
    _process_all(db, example.slug, clock.now())
    with db.transaction() as session:
        rows = session.execute(
            select(Registration.user_id, Registration.status).order_by(Registration.queue_no)
        ).all()
    assert rows == [
        ("U3", "registered"),
        ("U1", "registered"),
        ("U2", "waitlisted"),
        ("U4", "waitlisted"),
    ]


def test_a_fresh_worker_processes_what_a_dead_process_left(db, clock, example, slack):
    load(db, example, clock)
    _record(db, example.slug, "U1", clock.now())  # recorded and acked, then the process died
    settings = type("S", (), {"slack_bot_token": "xoxb-t", "slack_api_url": slack.api_url})
    client = build_web_client(settings)  # type: ignore[arg-type]
    worker = InboxWorker(db, client, Deliverer(db, client, clock), clock)
    assert worker.drain() == 1
    assert slack.wait_for("chat.postMessage")[0].channel == "U1"
    with db.transaction() as session:
        assert session.scalars(select(InboxItem.status)).one() == "done"


def test_a_refused_submission_is_done_with_the_reason(db, clock, example):
    load(db, example, clock)
    values = {**{str(k): v for k, v in VALUES.items()}, FormField.CHOICE_1: "removed-group"}
    with db.transaction() as session:
        inbox.record(
            session,
            kind=inbox.REGISTER,
            slug=example.slug,
            user_id="U1",
            values=values,
            lang="sv",
            view_id="V1",
            now=clock.now(),
        )
    [processed] = _process_all(db, example.slug, clock.now())
    assert processed.text == "Den gruppen finns inte längre i evenemanget. Välj en annan."
    with db.transaction() as session:
        assert session.scalars(select(Registration)).all() == []


def test_the_worker_reports_when_it_is_not_running(db, clock, slack):
    """What /healthz says of an inbox worker in the app's own process."""
    settings = type("S", (), {"slack_bot_token": "xoxb-t", "slack_api_url": slack.api_url})
    client = build_web_client(settings)  # type: ignore[arg-type]
    worker = InboxWorker(db, client, Deliverer(db, client, clock), clock)
    assert worker.problem() == "the registration inbox worker is not running"
    worker.start()
    assert worker.problem() is None
    worker.stop()
    assert worker.problem() == "the registration inbox worker is not running"
