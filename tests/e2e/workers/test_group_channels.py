"""Per-group channels against the stand-in: created and members invited before the day, group
posts go there, archived after the event; a re-run creates nothing twice."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.clock import SimulatedClock
from bot.schedule.plan import plan_posts
from bot.settings import Settings
from runtime.bootstrap import build_app
from storage.models import Assignment, Event, GroupChannel, Placement
from tests.conftest import load
from workers import schedule_jobs

SLUG = "skelleftea-2021"


@pytest.fixture
def services(db, slack, example):
    schedule = example.schedule.model_copy(update={"group_channels": True})
    definition = example.model_copy(update={"schedule": schedule})
    clock = SimulatedClock(definition.opens_at)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
    )
    load(db, definition, clock)
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
        for user, group in (("U0000000A", "larare"), ("U0000000B", "larare"), ("U0000000C", "ai")):
            assignment.placements.append(
                Placement(event_id=event.id, user_id=user, group_key=group, rank=1, reason="choice")
            )
        session.add(assignment)
    services = build_app(settings, db, clock=clock)[1]
    services.plan = {p.kind: p for p in plan_posts(definition)}  # type: ignore[attr-defined]
    return services


def _run(services, kind):
    post = services.plan[kind]
    services.clock.set(post.due)
    with schedule_jobs.bound_to(services):
        return schedule_jobs.run_scheduled_post(post.key)


def test_channels_are_created_used_and_archived(services, slack, db):
    _run(services, "channels")
    created = slack.calls_to("conversations.create")
    assert sorted(c.params["name"] for c in created) == [f"{SLUG}-ai", f"{SLUG}-larare"]
    invites = {
        c.params["channel"]: c.params["users"] for c in slack.calls_to("conversations.invite")
    }
    with db.transaction() as session:
        ids = {c.group_key: c.channel_id for c in session.scalars(select(GroupChannel))}
    assert invites == {ids["larare"]: "U0000000A,U0000000B", ids["ai"]: "U0000000C"}
    # a second run (a restart within the grace) creates nothing twice
    _run(services, "channels")
    assert len(slack.calls_to("conversations.create")) == 2

    _run(services, "breakout")
    assert len(slack.posts(ids["larare"])) == 1 and len(slack.posts(ids["ai"])) == 1
    assert f"<#{ids['ai']}>" in slack.posts("U0000000C")[0].params["text"]

    _run(services, "archive")
    assert sorted(c.params["channel"] for c in slack.calls_to("conversations.archive")) == sorted(
        ids.values()
    )


def test_a_refused_channel_is_reported_and_the_others_go_on(services, slack):
    slack.fail("conversations.create", "restricted_action")
    _run(services, "channels")
    assert len([c for c in slack.calls_to("conversations.create") if c.ok]) == 1
    reports = slack.posts("U01JGARDEST")
    assert len(reports) == 1 and "restricted_action" in reports[0].params["text"]
