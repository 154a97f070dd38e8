"""End to end: signed requests over HTTP to the served app; Web API calls go to the stand-in."""

from __future__ import annotations

from sqlalchemy import select

from bot.registration.form import FormField
from storage.models import OutboxMessage, Registration
from tests.conftest import load
from tests.support.forms import ANSWERS, USER, count, modal_outcome, open_modal


def test_register_end_to_end(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)
    # prefilled from the Slack profile (users.info)
    name_block = next(b for b in view["blocks"] if b.get("block_id") == FormField.NAME)
    assert name_block["element"]["initial_value"] == "Ida Participant"

    reply = bot.sender.submit_view(view, ANSWERS, USER)
    assert reply.status == 200
    assert reply.json()["response_action"] == "update"
    received = reply.json()["view"]["blocks"][0]["text"]["text"]
    assert received.startswith(":inbox_tray: Tack! Vi har tagit emot din anmälan till *Digital")
    assert "Du är anmäld" in modal_outcome(bot, 0)

    dms = bot.slack.wait_for("chat.postMessage")
    assert len(dms) == 1 and dms[0].channel == USER
    assert "Du är anmäld till *Digital partnerskapsdag" in dms[0].params["text"]
    assert "1. Diskussionsgrupp 1: Lärare" in dms[0].params["text"]
    with db.transaction() as session:
        registration = session.scalars(select(Registration)).one()
        assert registration.preferences == ["larare", "ai"]
        assert registration.status == "registered"


def test_resubmitting_the_same_form_is_idempotent(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)
    for _ in range(3):  # a Slack retry or a double click
        assert bot.sender.submit_view(view, ANSWERS, USER).status == 200
    bot.slack.wait_for("chat.postMessage")
    assert count(db, Registration) == 1
    assert len(bot.slack.posts(USER)) == 1
    # one confirmation and one calendar invitation (issue 12), each recorded once
    assert count(db, OutboxMessage, OutboxMessage.kind == "confirmation") == 1
    assert count(db, OutboxMessage, OutboxMessage.kind == "calendar") == 1
    assert count(db, OutboxMessage) == 2


def test_missing_consent_and_duplicate_choice_are_inline_errors(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)
    answers = {**ANSWERS, FormField.CONSENT: [], FormField.CHOICE_2: "larare"}
    reply = bot.sender.submit_view(view, answers, USER)
    body = reply.json()
    assert body["response_action"] == "errors"
    assert body["errors"] == {
        FormField.CONSENT: "Vi behöver ditt samtycke för att kunna spara anmälan.",
        FormField.CHOICE_2: "Du har redan valt den här gruppen. Välj en annan eller lämna tomt.",
    }
    assert count(db, Registration) == 0
    assert bot.slack.posts() == []
