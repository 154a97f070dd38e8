"""What the scheduler reads to sync its jobs: the events it schedules, the posts already done."""

from __future__ import annotations

from bot import outbox
from bot.events.service import get_event
from bot.schedule import posts
from tests.conftest import load


def test_purged_events_are_not_scheduled(db, clock, example):
    load(db, example, clock)
    with db.transaction() as session:
        assert [e.slug for e in posts.scheduled_events(session)] == [example.slug]
        get_event(session, example.slug).purged_at = clock.now()
    with db.transaction() as session:
        assert posts.scheduled_events(session) == []


def test_recorded_keys_are_those_of_the_given_events(db, clock, example):
    load(db, example, clock)
    with db.transaction() as session:
        event_id = get_event(session, example.slug).id
        outbox.enqueue(session, key="reminder:x:1", channel="C1", text="t", now=clock.now(),
                       kind="reminder", event_id=event_id)  # fmt: skip
        outbox.enqueue(session, key="other", channel="C1", text="t", now=clock.now(), kind="dm")
    with db.transaction() as session:
        assert posts.recorded_keys(session, [event_id]) == ["reminder:x:1"]
        assert posts.recorded_keys(session, []) == []
