"""Per-group channels against the stand-in: created and members invited before the day, group
posts go there, archived after the event; a re-run creates nothing twice."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.clock import SimulatedClock
from bot.schedule.plan import plan_posts
from storage.models import GroupChannel
from tests.conftest import load
from tests.support.coordination import publish_placements
from tests.support.jobs import app_services, run_planned

SLUG = "skelleftea-2021"


@pytest.fixture
def services(db, slack, example):
    schedule = example.schedule.model_copy(update={"group_channels": True})
    definition = example.model_copy(update={"schedule": schedule})
    clock = SimulatedClock(definition.opens_at)
    load(db, definition, clock)
    publish_placements(db, clock.now(), {"U0000000A": "larare", "U0000000B": "larare",
                                          "U0000000C": "ai"})  # fmt: skip
    services = app_services(db, slack, clock)
    services.plan = {p.kind: p for p in plan_posts(definition)}  # type: ignore[attr-defined]
    return services


def _run(services, kind):
    return run_planned(services, services.plan, kind)


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
