"""The posts themselves on SQLite with a simulated clock: audiences, texts, once-only, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.events.service import get_event
from bot.intake import flows
from bot.registration.form import RegistrationForm
from bot.schedule import posts
from bot.schedule.feedback import record_feedback
from bot.schedule.plan import plan_posts
from storage.models import (
    Assignment,
    Event,
    FeedbackAnswer,
    OutboxMessage,
    Placement,
    Registration,
)
from tests.conftest import load, stockholm

SLUG = "skelleftea-2021"
GRACE = timedelta(minutes=15)
PEOPLE = ["U0000000A", "U0000000B", "U0000000C"]  # seat limit 2: C is waitlisted


@pytest.fixture
def small(example, db, clock):
    registration = example.registration.model_copy(update={"seat_limit": 2})
    definition = example.model_copy(update={"registration": registration})
    load(db, definition, clock)
    for n, user in enumerate(PEOPLE):
        form = RegistrationForm(
            name=f"Person {n}",
            organisation="Org",
            role="",
            comment="",
            preferences=("larare", "ai"),
            consent=True,
        )
        flows.register(db, slug=SLUG, user_id=user, form=form, locale="sv", now=clock.now())
    return definition


def _run(db, key, now):
    with db.transaction() as session:
        return posts.run_post(session, key=key, now=now, grace=GRACE)


def _messages(db, prefix):
    with db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.key.like(prefix + "%")))
        return {m.key: m for m in rows}


def _due(definition, key):
    return next(p.due for p in plan_posts(definition) if p.key == key)


def test_join_links_waitlist_note_and_promotion_afterwards(small, db):
    key = f"joinlink:{SLUG}"
    due = _due(small, key)
    result = _run(db, key, due)
    assert len(result.outbox_ids) == 3
    messages = _messages(db, key)
    link = messages[f"{key}:U0000000A"].text
    assert "https://umu.zoom.us/j/00000000000" in link
    assert "08:30–08:40 Inledning" in link and "torsdag 22 april 2021" in link
    assert "väntelistan" in messages[f"{key}:waiting:U0000000C"].text
    assert _run(db, key, due + timedelta(minutes=1)).skipped == "already done"
    # A cancels the day before: C is promoted and gets the join link at once
    flows.cancel(db, slug=SLUG, user_id="U0000000A", now=due + timedelta(hours=1))
    assert "https://umu.zoom.us" in _messages(db, f"{key}:U0000000C")[f"{key}:U0000000C"].text


def test_deadline_reminder_counts_seats_and_is_once(small, db):
    key = f"deadline-reminder:{SLUG}:1d"
    due = _due(small, key)
    assert len(_run(db, key, due).outbox_ids) == 1
    assert _run(db, key, due).outbox_ids == []
    text = _messages(db, key)[key].text
    assert "fredag 16 april 2021 kl. 16:30" in text and "Alla platser är tagna" in text


def test_closing_tells_the_coordinators(small, db):
    key = f"closed:{SLUG}"
    _run(db, key, _due(small, key))
    notes = _messages(db, key)
    assert set(notes) == {key, f"{key}:U01JGARDEST", f"{key}:U01IDALINDH"}
    assert notes[key].channel == "-" and notes[key].status == "sent"  # the job's done-marker
    assert "2 anmälda, 1 på väntelistan" in notes[f"{key}:U01JGARDEST"].text


def test_breakout_posts_one_message_per_group_and_a_dm_each(small, db, clock):
    with db.transaction() as session:
        event = session.scalars(select(Event)).one()
        assignment = Assignment(
            event_id=event.id,
            version=1,
            status="published",
            report={},
            created_at=clock.now(),
            published_at=clock.now(),
        )
        assignment.placements += [
            Placement(
                event_id=event.id, user_id="U0000000A", group_key="larare", rank=1, reason="choice"
            ),
            Placement(
                event_id=event.id, user_id="U0000000B", group_key="ai", rank=2, reason="choice"
            ),
        ]
        session.add(assignment)
    key = next(p.key for p in plan_posts(small) if p.kind == "breakout")
    _run(db, key, _due(small, key))
    messages = _messages(db, key)
    groups = {k: m for k, m in messages.items() if ":group:" in k}
    assert set(groups) == {f"{key}:group:larare", f"{key}:group:ai"}
    assert groups[f"{key}:group:larare"].channel == "#partnerskapsdag-skelleftea"
    assert "<@U0000000A>" in groups[f"{key}:group:larare"].text
    dm = messages[f"{key}:U0000000B"]
    assert dm.channel == "U0000000B" and "*Artificiell Intelligens (AI)*" in dm.text


def test_feedback_question_has_buttons_and_answers_are_stored(small, db, clock):
    key = f"feedback:{SLUG}"
    due = _due(small, key)
    _run(db, key, due)
    question = _messages(db, key)[f"{key}:U0000000A"]
    buttons = question.blocks[1]["elements"]
    assert [b["value"] for b in buttons] == [f"{SLUG}|{n}" for n in range(1, 6)]
    assert f"{key}:U0000000C" not in _messages(db, key)  # waitlisted people were not there
    with db.transaction() as session:
        # answered when the question arrives (answers before the day began are refused)
        record_feedback(session, slug=SLUG, user_id="U0000000A", score=4, now=due)
        record_feedback(session, slug=SLUG, user_id="U0000000A", score=5, now=due)
        assert session.scalar(select(func.count()).select_from(FeedbackAnswer)) == 1


def test_retention_purge_keeps_only_anonymous_counts(small, db, clock):
    with db.transaction() as session:  # an answer after the day (not before it: refused)
        after_the_day = stockholm(2021, 4, 22, 12, 0)
        record_feedback(session, slug=SLUG, user_id="U0000000A", score=5, now=after_the_day)
    key = f"purge:{SLUG}"
    due = _due(small, key)
    assert due == stockholm(2021, 5, 22, 11, 45)
    _run(db, key, due)
    with db.transaction() as session:
        event = get_event(session, SLUG)
        assert event.purged_at is not None
        assert event.anonymous_counts["registrations"] == {"registered": 2, "waitlisted": 1}
        assert event.anonymous_counts["feedback_scores"] == {"5": 1}
        assert session.scalar(select(func.count()).select_from(Registration)) == 0
        assert session.scalar(select(func.count()).select_from(FeedbackAnswer)) == 0
        dms = session.scalars(select(OutboxMessage).where(OutboxMessage.channel.like("U%")))
        assert list(dms) == []


def test_a_late_run_beyond_the_grace_is_missed_not_posted(small, db):
    key = f"morning:{SLUG}"
    result = _run(db, key, _due(small, key) + timedelta(minutes=16))
    assert result.missed and result.outbox_ids == []
    assert _messages(db, key)[key].status == "missed"


def test_a_join_link_sent_early_to_a_promoted_person_does_not_stop_the_job(small, db):
    key = f"joinlink:{SLUG}"
    due = _due(small, key)
    # the scheduler was down at 15:00; at 15:05 A cancels and C is promoted: C gets the link
    flows.cancel(db, slug=SLUG, user_id="U0000000A", now=due + timedelta(minutes=5))
    assert f"{key}:U0000000C" in _messages(db, key)
    # the job then runs late (within the grace): B still gets the link, C not a second one
    result = _run(db, key, due + timedelta(minutes=10))
    assert len(result.outbox_ids) == 1
    assert f"{key}:U0000000B" in _messages(db, key)
