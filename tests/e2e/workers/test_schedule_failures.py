"""Against the stand-in: scheduled posts that cannot do their part tell the coordinators why, and
send or store nothing more (no groups to post, a group assignment that could not be drafted)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.schedule.plan import PostKind, item_ids, plan_posts
from storage.models import Assignment
from tests.conftest import load
from tests.support.coordination import register_people
from tests.support.forms import count
from tests.support.jobs import app_services, run_planned

COORDINATORS = ("U01JGARDEST", "U01IDALINDH")  # named in the example


@pytest.fixture
def services(db, slack, clock, example):
    load(db, example, clock)
    services = app_services(db, slack, clock)
    services.plan = {p.kind: p for p in plan_posts(example)}  # type: ignore[attr-defined]
    services.people = register_people(db, clock.now(), 4)  # type: ignore[attr-defined]
    return services


def test_a_breakout_without_a_published_assignment_tells_the_coordinators_only(
    services, slack, example
):
    post = services.plan[PostKind.BREAKOUT]
    item = next(i for iid, i in item_ids(example) if iid == post.item_id)
    run_planned(services, services.plan, PostKind.BREAKOUT)
    for coordinator in COORDINATORS:
        [dm] = slack.posts(coordinator)
        assert dm.params["text"] == (
            f"Det finns ingen publicerad gruppindelning för *{item.title}*."
        )
    assert len(slack.posts()) == len(COORDINATORS)  # no group post, no DM to a participant


def test_a_draft_that_fails_at_closing_is_said_and_nothing_is_half_stored(
    services, db, slack, example
):
    with db.engine.begin() as connection:  # a real fault while the draft is stored
        connection.execute(text(
            "CREATE TRIGGER fail_draft BEFORE INSERT ON placements "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        ))  # fmt: skip
    run_planned(services, services.plan, PostKind.REGISTRATION_CLOSED)
    for coordinator in COORDINATORS:
        [dm] = slack.posts(coordinator)
        assert dm.params["text"] == (
            f"Anmälan till *{example.title}* har stängt: 4 anmälda, 0 på väntelistan. "
            "Gruppindelningen kunde inte tas fram automatiskt (IntegrityError)."
        )
        assert "blocks" not in dm.params  # no "review the groups" button: there is no draft
    assert len(slack.posts()) == len(COORDINATORS)
    assert count(db, Assignment) == 0  # the assignment row went with its placements
