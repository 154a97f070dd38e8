"""The inbox processed in batches (the deadline rush): one transaction per batch keeps arrival
order, waitlist places, refusals and a person's repeated submissions exactly as one at a time."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from bot import outbox
from bot.intake import inbox
from bot.registration import batch
from bot.registration.form import FormField
from storage.db import Database
from storage.migrate import upgrade
from storage.models import GroupChoice, InboxItem, OutboxMessage, Registration
from tests.conftest import load
from tests.support.pg import postgres_url_or_skip, temporary_database

VALUES = {
    FormField.NAME: "Ida",
    FormField.ORGANISATION: "Umeå universitet",
    FormField.CHOICE_1: "ai",
    FormField.CHOICE_2: "energi",
    FormField.CONSENT: True,
}


def _record(db, slug, user, now, **changes):
    values = {str(k): v for k, v in {**VALUES, **changes}.items()}
    with db.transaction() as session:
        inbox.record(session, kind=inbox.REGISTER, slug=slug, user_id=user, values=values,
                     lang="sv", view_id=f"V{user}", now=now)  # fmt: skip


def _batch(db, slug, now, limit=50):
    with db.transaction() as session:
        return inbox.process_batch(session, slug, now=now, limit=limit).done


def _small(example, seats):
    registration = example.registration.model_copy(update={"seat_limit": seats})
    return example.model_copy(update={"registration": registration})


def test_a_batch_keeps_arrival_order_and_tells_each_waitlist_place(db, clock, example):
    load(db, _small(example, 2), clock)
    for user in ("U3", "U1", "U2", "U4", "U5"):  # received in this order
        _record(db, example.slug, user, clock.now())
    processed = _batch(db, example.slug, clock.now())
    assert [p.user_id for p in processed] == ["U3", "U1", "U2", "U4", "U5"]
    assert [("nummer *" + str(n) + "*") in p.text for n, p in enumerate(processed[2:], 1)] == [
        True,
        True,
        True,
    ]
    with db.transaction() as session:
        rows = session.execute(
            select(Registration.user_id, Registration.status, Registration.queue_no).order_by(
                Registration.queue_no
            )
        ).all()
        choices = session.scalars(select(Registration)).all()[0].preferences
        statuses = set(session.scalars(select(InboxItem.status)))
        confirmations = session.scalars(
            select(OutboxMessage.channel).where(OutboxMessage.kind == "confirmation")
        ).all()
        calendars = session.scalars(  # issue 12: a seat brings the calendar file
            select(OutboxMessage.channel).where(OutboxMessage.kind == "calendar")
        ).all()
    assert [(u, s) for u, s, _ in rows] == [
        ("U3", "registered"), ("U1", "registered"), ("U2", "waitlisted"),
        ("U4", "waitlisted"), ("U5", "waitlisted"),
    ]  # fmt: skip
    assert choices == ["ai", "energi"]
    assert statuses == {"done"}
    assert sorted(confirmations) == ["U1", "U2", "U3", "U4", "U5"]  # one DM each
    assert sorted(calendars) == ["U1", "U3"]  # the two given a seat, not the waitlist


def test_the_next_batch_counts_the_waitlist_already_there(db, clock, example):
    load(db, _small(example, 1), clock)
    for user in ("U1", "U2"):
        _record(db, example.slug, user, clock.now())
    _batch(db, example.slug, clock.now())
    _record(db, example.slug, "U3", clock.now())
    [processed] = _batch(db, example.slug, clock.now())
    assert "nummer *2*" in processed.text


def test_a_second_submission_by_the_same_person_waits_for_the_next_batch(db, clock, example):
    load(db, example, clock)
    _record(db, example.slug, "U1", clock.now())
    _record(db, example.slug, "U2", clock.now())
    _record(db, example.slug, "U1", clock.now(), **{FormField.CHOICE_1: "larare"})
    first = _batch(db, example.slug, clock.now())
    assert [p.user_id for p in first] == ["U1", "U2"]
    [second] = _batch(db, example.slug, clock.now())  # the edit, with U1's row written
    assert second.user_id == "U1" and second.outbox_ids
    with db.transaction() as session:
        registration = session.scalars(
            select(Registration).where(Registration.user_id == "U1")
        ).one()
        assert registration.preferences == ["larare", "energi"]
        assert registration.revision == 2
        assert (
            session.scalar(select(Registration.queue_no).where(Registration.user_id == "U2")) == 2
        )


def test_a_refusal_in_a_batch_stores_nothing_for_that_person_and_the_rest_go_on(db, clock, example):
    load(db, example, clock)
    _record(db, example.slug, "U1", clock.now())
    _record(db, example.slug, "U2", clock.now(), **{FormField.CHOICE_1: "removed-group"})
    _record(db, example.slug, "U3", example.closes_at + timedelta(seconds=1))  # received late
    _record(db, example.slug, "U4", clock.now())
    processed = _batch(db, example.slug, clock.now())
    texts = {p.user_id: p for p in processed}
    assert texts["U2"].text == "Den gruppen finns inte längre i evenemanget. Välj en annan."
    assert not texts["U2"].outbox_ids and not texts["U3"].outbox_ids
    assert "stängd" in texts["U3"].text or "closed" in texts["U3"].text
    with db.transaction() as session:
        assert sorted(session.scalars(select(Registration.user_id))) == ["U1", "U4"]
        kinds = sorted(session.execute(select(OutboxMessage.channel, OutboxMessage.kind)).all())
        assert [channel for channel, kind in kinds if kind == "confirmation"] == ["U1", "U4"]
        assert [channel for channel, kind in kinds if kind == "calendar"] == ["U1", "U4"]
        assert {kind for _, kind in kinds} == {"confirmation", "calendar"}  # nothing else


def test_a_batch_stops_when_told_and_leaves_the_rest_pending_in_order(db, clock, example):
    load(db, example, clock)
    for user in ("U1", "U2", "U3"):
        _record(db, example.slug, user, clock.now())
    with db.transaction() as session:
        first = inbox.process_batch(session, example.slug, now=clock.now(), limit=50,
                                    enough=lambda: True)  # fmt: skip
    assert [p.user_id for p in first.done] == ["U1"] and first.more
    with db.transaction() as session:
        rest = inbox.process_batch(session, example.slug, now=clock.now(), limit=50)
    assert [p.user_id for p in rest.done] == ["U2", "U3"] and not rest.more


def test_a_fault_in_a_batch_leaves_batch_mode_and_keeps_nothing(db, clock, example):
    load(db, example, clock)
    _record(db, example.slug, "U1", clock.now())

    def fault() -> bool:
        raise RuntimeError("the batch failed")

    with pytest.raises(RuntimeError), db.transaction() as session:
        try:
            inbox.process_batch(session, example.slug, now=clock.now(), limit=50, enough=fault)
        finally:  # the session's next statements are on their own again
            assert not batch.active(session) and outbox.DEFERRED not in session.info
            # and the batch's registration was never written (not just rolled back afterwards),
            # nor left in the session for a later flush to write (a batch keeps its new
            # registrations outside the session until it writes them, as it ends)
            assert Registration not in {type(o) for o in session.new}
            with session.no_autoflush:
                assert session.scalar(select(func.count()).select_from(Registration)) == 0
    with db.read() as session:
        assert session.scalars(select(Registration)).all() == []
        assert session.scalars(select(OutboxMessage)).all() == []
    assert [p.user_id for p in _batch(db, example.slug, clock.now())] == ["U1"]  # still pending


def test_a_batch_says_more_may_wait_when_it_took_its_limit_or_met_a_person_twice(
    db, clock, example
):
    load(db, example, clock)
    for user in ("U1", "U2", "U2", "U3"):
        _record(db, example.slug, user, clock.now())
    with db.transaction() as session:
        limited = inbox.process_batch(session, example.slug, now=clock.now(), limit=1)
    assert [p.user_id for p in limited.done] == ["U1"] and limited.more
    with db.transaction() as session:
        twice = inbox.process_batch(session, example.slug, now=clock.now(), limit=50)
    assert [p.user_id for p in twice.done] == ["U2"] and twice.more  # the second U2 waits
    with db.transaction() as session:
        last = inbox.process_batch(session, example.slug, now=clock.now(), limit=50)
    assert [p.user_id for p in last.done] == ["U2", "U3"] and not last.more
    with db.transaction() as session:
        assert inbox.process_batch(session, example.slug, now=clock.now(), limit=50) == ([], False)


def test_in_a_rush_the_dm_tells_and_the_modal_shows_only_a_refusal(
    db, clock, example, slack, monkeypatch
):
    from runtime.web_client import build_web_client
    from workers import inbox as worker_module
    from workers.delivery import Deliverer
    from workers.inbox import InboxWorker

    monkeypatch.setattr(worker_module, "BATCH_BUDGET_S", 600.0)  # one batch, however slow

    load(db, example, clock)
    _record(db, example.slug, "U1", clock.now())
    _record(db, example.slug, "U2", clock.now(), **{FormField.CHOICE_1: "removed-group"})
    _record(db, example.slug, "U3", clock.now())
    settings = type("S", (), {"slack_bot_token": "xoxb-t", "slack_api_url": slack.api_url})
    client = build_web_client(settings)  # type: ignore[arg-type]
    worker = InboxWorker(db, client, Deliverer(db, client, clock), clock)
    assert worker.drain() == 3
    posts = slack.wait_for("chat.postMessage", 2)
    worker.stop()  # the DMs of the batch have gone out
    assert sorted(call.channel for call in posts) == ["U1", "U3"]
    [update] = slack.calls_to("views.update")
    assert update.params["view_id"] == "VU2"
    assert "Den gruppen finns inte längre" in update.params["view"]["blocks"][0]["text"]["text"]


def test_a_batch_records_its_messages_in_one_statement_each_persons_in_order(db, clock, example):
    load(db, _small(example, 2), clock)
    for user in ("U3", "U1", "U2"):  # received in this order; U3 and U1 get the seats
        _record(db, example.slug, user, clock.now())
    inserts = []

    def remember(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX"):
            inserts.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", remember)
    try:
        processed = _batch(db, example.slug, clock.now())
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", remember)
    with db.read() as session:
        rows = {m.id: (m.channel, m.kind) for m in session.scalars(select(OutboxMessage))}
    assert len(inserts) == 1  # three confirmations and two calendar files
    told = [[rows[i] for i in p.outbox_ids] for p in processed]
    assert told == [
        [("U3", "confirmation"), ("U3", "calendar")],
        [("U1", "confirmation"), ("U1", "calendar")],
        [("U2", "confirmation")],
    ]
    ids = [i for p in processed for i in p.outbox_ids]
    assert ids == sorted(ids)  # recorded in the order the rules asked for them


def _stored(db):
    """Every stored registration and choice, as plain values (no ids, which differ by order)."""
    with db.read() as session:
        registrations = [
            {c.key: getattr(r, c.key) for c in Registration.__table__.columns if c.key != "id"}
            | {"preferences": r.preferences}
            for r in session.scalars(select(Registration).order_by(Registration.queue_no))
        ]
        choices = sorted(
            session.execute(
                select(
                    Registration.user_id,
                    GroupChoice.rank,
                    GroupChoice.group_key,
                    GroupChoice.event_id,
                ).join(Registration, GroupChoice.registration_id == Registration.id)  # fmt: skip
            ).all()
        )
    return registrations, choices


@contextmanager
def _two_databases(kind, tmp_path):
    """Two fresh, migrated databases of one kind (SQLite files, or PostgreSQL databases)."""
    with ExitStack() as stack:
        if kind == "sqlite":
            urls = [f"sqlite:///{tmp_path / name}.sqlite3" for name in ("a", "b")]
        else:
            admin = postgres_url_or_skip()
            urls = [stack.enter_context(temporary_database(admin)) for _ in range(2)]
        databases = [Database(url) for url in urls]
        for database in databases:
            stack.callback(database.dispose)
            upgrade(database)
        yield databases


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_batch_stores_new_registrations_exactly_as_one_at_a_time(kind, tmp_path, clock, example):
    """A batch writes its new registrations with two Core statements instead of the ORM's
    flush: every column and every ranked choice comes out as the one-at-a-time path (the ORM's)
    stores them, for a seat and the waitlist, one to three choices, an e-mail and none, a
    person of a partner workspace, a comment, a role left empty."""
    people = [
        ("U1", {FormField.CHOICE_2: None}),
        ("U2", {FormField.CHOICE_3: "larare", FormField.ROLE: "Lärare", FormField.EMAIL: "a@b.se"}),
        ("U3", {FormField.COMMENT: "Vegetarisk lunch", inbox.TEAM_KEY: "T0PARTNER"}),
        ("U4", {}),
    ]
    with _two_databases(kind, tmp_path) as (batched_db, single_db):
        for database in (batched_db, single_db):
            load(database, _small(example, 2), clock)
            for user, changes in people:
                _record(database, example.slug, user, clock.now(), **changes)
        assert len(_batch(batched_db, example.slug, clock.now())) == 4
        for _ in people:
            with single_db.transaction() as session:
                assert inbox.process_next(session, example.slug, now=clock.now()) is not None
        batched, one_at_a_time = _stored(batched_db), _stored(single_db)
    assert batched == one_at_a_time
    registrations, choices = batched
    assert [r["status"] for r in registrations] == ["registered"] * 2 + ["waitlisted"] * 2
    assert registrations[1]["preferences"] == ["ai", "energi", "larare"]
    assert registrations[1]["email"] == "a@b.se" and registrations[0]["email"] is None
    assert registrations[2]["team_id"] == "T0PARTNER" and registrations[0]["role"] == ""
    assert len(choices) == 1 + 3 + 2 + 2
