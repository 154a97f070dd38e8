"""Coordinators named only by a user group get the coordinators' DMs: the delivery worker
resolves the group (usergroups.users.list) and records one message per person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.events.service import get_event
from bot.schedule import posts
from bot.schedule.faults import report_missed, report_problem
from bot.schedule.plan import PostKind, plan_posts
from bot.settings import Settings
from runtime.bootstrap import build_app
from storage.models import OutboxMessage
from tests.conftest import load

GROUP = "S0COORDS1"
MEMBERS = ["U0MEMBER1", "U0MEMBER2"]


@pytest.fixture
def services(db, clock, slack, example):
    coordinators = example.coordinators.model_copy(update={"users": [], "usergroup": GROUP})
    load(db, example.model_copy(update={"coordinators": coordinators}), clock)
    slack.usergroups[GROUP] = list(MEMBERS)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
    )
    return build_app(settings, db, clock=clock)[1]


def _keys(services, prefix):
    with services.db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.key.like(prefix + "%")))
        return {row.key: row.status for row in rows}


def test_registration_closed_reaches_every_member_of_the_group(services, slack, clock, example):
    closed = next(p for p in plan_posts(example) if p.kind == PostKind.REGISTRATION_CLOSED)
    clock.set(closed.due)
    with services.db.transaction() as session:
        ids = posts.run_post(session, key=closed.key, now=closed.due, grace=timedelta(minutes=5))
    services.deliverer.deliver(ids.outbox_ids)
    for member in MEMBERS:
        [post] = slack.posts(member)
        assert "har stängt" in post.params["text"]
        assert "förslag på gruppindelning" in post.params["text"]
    assert slack.calls_to("usergroups.users.list")
    keys = _keys(services, closed.key + ":")
    assert {f"{closed.key}:{m}" for m in MEMBERS} <= set(keys)
    assert all(status == "sent" for status in keys.values())
    services.deliverer.deliver(ids.outbox_ids)  # once: nothing is sent twice
    assert all(len(slack.posts(m)) == 1 for m in MEMBERS)


def test_missed_posts_and_faults_reach_the_group(services, slack, clock):
    with services.db.transaction() as session:
        event = get_event(session, "skelleftea-2021")
        ids = report_missed(session, event, ["reminder:skelleftea-2021:3:5"], now=clock.now())
        ids += report_problem(session, event, error="channel_not_found", target="#x",
                              now=clock.now())  # fmt: skip
    services.deliverer.deliver(ids)
    for member in MEMBERS:
        texts = [p.params["text"] for p in slack.posts(member)]
        assert any("missades" in text for text in texts)
        assert any("channel_not_found" in text for text in texts)
