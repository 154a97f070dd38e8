"""End to end: coordinators review the breakout draft in Slack before anyone else sees it;
re-draft, publish, unpin (`/samordna lossa`), and late changes re-draft an unpublished draft."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from bot.breakouts import service as breakouts
from bot.ids.workshop import Action, Block
from bot.intake import flows
from storage.models import Assignment, AssignmentStatus, Pin
from tests.conftest import load
from tests.support.coordination import COORDINATOR, OUTSIDER, SLUG, register_people, user


@pytest.fixture
def drafted(db, clock, example):
    load(db, example, clock)
    people = register_people(db, clock.now(), 9)
    with db.transaction() as session:
        breakouts.draft(session, slug=SLUG, now=clock.now())
    return people


def click_review(bot, user_id, action=Action.REVIEW_OPEN, method="views.open", **extra):
    before = len(bot.slack.calls_to(method))
    bot.sender.click(action, SLUG, user_id, block_id=Block.REVIEW_OPEN, **extra)
    view = bot.slack.wait_for(method, before + 1)[-1].params["view"]
    return view if isinstance(view, dict) else json.loads(view)


def versions(db):
    with db.transaction() as session:
        rows = session.scalars(select(Assignment).order_by(Assignment.version)).all()
        return [(a.version, a.status) for a in rows]


def test_a_coordinator_sees_groups_members_mix_sizes_warnings_and_quality(bot, drafted):
    view = click_review(bot, COORDINATOR)
    text = json.dumps(view, ensure_ascii=False)
    assert view["title"]["text"] == "Gruppindelningen" and view["submit"]["text"] == "Publicera"
    assert "Version 1 (utkast, inte publicerat)" in text
    assert "*Kvalitet:* 100 % fick sitt förstahandsval" in text
    assert "_Först till kvarn hade gett:_" in text
    assert "*Diskussionsgrupp 1: Lärare – yrke och utbildning*: 3 personer (min 4, max 25)" in text
    assert ":warning: under minimum" in text
    assert "• Person 0 (Org 0): val 1" in text
    assert "_Organisationer:_ Org 0 1, Org 3 1, Org 6 1" in text
    assert "`/samordna lossa @person skelleftea-2021`" in text
    assert [e["action_id"] for b in view["blocks"] if b["type"] == "actions"
            for e in b["elements"]] == [Action.REVIEW_REDRAFT]  # fmt: skip


def test_someone_else_is_refused_and_nothing_changes(bot, db, drafted):
    view = click_review(bot, OUTSIDER)
    assert "Bara evenemangets samordnare" in view["blocks"][0]["text"]["text"]
    forged = {"type": "modal", "callback_id": "workshop_review", "private_metadata": SLUG,
              "blocks": []}  # fmt: skip
    reply = bot.sender.submit_view(forged, {}, OUTSIDER)
    assert "Bara evenemangets samordnare" in reply.json()["view"]["blocks"][0]["text"]["text"]
    assert versions(db) == [(1, AssignmentStatus.DRAFT)]


def test_re_draft_in_place_then_publish(bot, db, drafted):
    view = click_review(bot, COORDINATOR)
    again = click_review(bot, COORDINATOR, Action.REVIEW_REDRAFT, "views.update", view=view)
    assert "Version 2 (utkast" in json.dumps(again, ensure_ascii=False)
    reply = bot.sender.submit_view({**view, "id": "V1"}, {}, COORDINATOR)
    assert "(version 2) är publicerad" in reply.json()["view"]["blocks"][0]["text"]["text"]
    assert versions(db) == [(1, AssignmentStatus.DRAFT), (2, AssignmentStatus.PUBLISHED)]


def test_lossa_unpins_and_re_drafts(bot, db, drafted):
    bot.sender.command("/samordna", f"flytta <@{user(0)}> ai", COORDINATOR)
    bot.slack.wait_for("chat.postEphemeral")
    bot.sender.command("/samordna", f"lossa <@{user(0)}|person0>", COORDINATOR)
    text = bot.slack.wait_for("chat.postEphemeral", 2)[-1].params["text"]
    assert f"<@{user(0)}> är inte längre låst till en grupp" in text and "(version 3)" in text
    with db.transaction() as session:
        assert session.scalars(select(Pin)).all() == []
    bot.sender.command("/samordna", f"lossa <@{user(1)}>", COORDINATOR)
    text = bot.slack.wait_for("chat.postEphemeral", 3)[-1].params["text"]
    assert f"<@{user(1)}> var inte låst till någon grupp; ingenting ändrades." in text
    assert len(versions(db)) == 3


def test_a_late_cancellation_re_drafts_only_before_publication(db, clock, drafted):
    flows.cancel(db, slug=SLUG, user_id=drafted[0], now=clock.now())
    assert versions(db) == [(1, AssignmentStatus.DRAFT), (2, AssignmentStatus.DRAFT)]
    with db.transaction() as session:
        latest = breakouts.latest(session, session.scalars(select(Assignment)).first().event_id)
        assert drafted[0] not in {p.user_id for p in latest.placements}
        assert latest.report["moved"] == 0  # nobody else moved
        breakouts.publish(session, slug=SLUG, by=COORDINATOR, now=clock.now())
    flows.cancel(db, slug=SLUG, user_id=drafted[1], now=clock.now())
    assert len(versions(db)) == 2  # published: see the issue "Every message true"


REVIEW_FAILED = "Något gick fel med gruppindelningen; ingenting ändrades. Försök igen om en stund."


def test_a_database_fault_says_nothing_changed_and_changes_nothing(bot, db, drafted):
    view = click_review(bot, COORDINATOR)
    with db.engine.begin() as connection:  # a real fault: publishing cannot write
        connection.execute(text(
            "CREATE TRIGGER no_publish BEFORE UPDATE ON assignments "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        ))  # fmt: skip
    reply = bot.sender.submit_view({**view, "id": "V1"}, {}, COORDINATOR)
    assert reply.json()["view"]["blocks"][0]["text"]["text"] == REVIEW_FAILED
    assert versions(db) == [(1, AssignmentStatus.DRAFT)]  # not published
    assert bot.slack.posts() == []  # nobody told of a group

    with db.engine.begin() as connection:  # the draft cannot even be read
        connection.execute(text("ALTER TABLE placements RENAME TO placements_gone"))
    opened = click_review(bot, COORDINATOR)
    assert opened["blocks"][0]["text"]["text"] == REVIEW_FAILED
    assert opened.get("submit") is None
