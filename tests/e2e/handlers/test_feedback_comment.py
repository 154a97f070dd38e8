"""End to end: the optional comment after the feedback score, and the results on the dashboard."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, text

from bot.i18n import t
from bot.ids.schedule import Action as ScheduleAction
from bot.ids.schedule import Block as ScheduleBlock
from bot.ids.schedule import feedback_value
from bot.ids.workshop import Action, Block, event_value
from storage.models import FeedbackAnswer
from tests.conftest import load
from tests.support.coordination import COORDINATOR, SLUG, register_people, user

PERSON, OTHER = user(0), user(1)


def on_the_day(db, clock, example):
    """Two people registered before the deadline; feedback comes after the day has begun."""
    load(db, example, clock)
    register_people(db, clock.now(), 2)
    clock.set(example.ends_at + timedelta(minutes=20))


def score(bot, user_id, value):
    before = len(bot.slack.calls_to("response_url"))
    action = f"{ScheduleAction.FEEDBACK_SCORE}_{value}"
    bot.sender.click(action, feedback_value(SLUG, value), user_id, block_id=ScheduleBlock.FEEDBACK,
                     response_url=bot.slack.response_url)  # fmt: skip
    return bot.slack.wait_for("response_url", before + 1)[-1].params


def open_comment(bot, user_id):
    before = len(bot.slack.calls_to("views.open"))
    bot.sender.click(Action.FEEDBACK_COMMENT, event_value(SLUG), user_id,
                     block_id=Block.FEEDBACK_COMMENT)  # fmt: skip
    return bot.slack.wait_for("views.open", before + 1)[-1].params["view"]


def answers(db):
    with db.transaction() as session:
        return [(a.user_id, a.score, a.comment) for a in session.scalars(select(FeedbackAnswer))]


def test_after_the_score_a_comment_can_be_added_and_is_stored(bot, db, clock, example):
    on_the_day(db, clock, example)
    reply = score(bot, PERSON, 4)
    blocks = reply["blocks"] if isinstance(reply["blocks"], list) else json.loads(reply["blocks"])
    assert blocks[-1]["elements"][0]["action_id"] == Action.FEEDBACK_COMMENT
    assert blocks[-1]["elements"][0]["text"]["text"] == "Lägg till en kommentar"
    view = open_comment(bot, PERSON)
    reply = bot.sender.submit_view(view, {Block.FEEDBACK_COMMENT: " Mer tid i grupperna "}, PERSON)
    assert "Tack för din kommentar!" in reply.json()["view"]["blocks"][0]["text"]["text"]
    assert answers(db) == [(PERSON, 4, "Mer tid i grupperna")]
    score(bot, PERSON, 5)  # a changed score keeps the comment
    assert answers(db) == [(PERSON, 5, "Mer tid i grupperna")]


def test_a_comment_without_a_score_or_empty_is_refused_and_nothing_stored(bot, db, clock, example):
    on_the_day(db, clock, example)
    view = open_comment(bot, PERSON)
    reply = bot.sender.submit_view(view, {Block.FEEDBACK_COMMENT: "Bra dag"}, PERSON)
    text = reply.json()["view"]["blocks"][0]["text"]["text"]
    assert "Välj först ett betyg (1–5)" in text and "Ingenting har sparats." in text
    assert answers(db) == []
    score(bot, PERSON, 3)
    reply = bot.sender.submit_view(view, {Block.FEEDBACK_COMMENT: "   "}, PERSON)
    assert reply.json()["response_action"] == "errors"
    assert "Kommentaren är tom" in reply.json()["errors"][Block.FEEDBACK_COMMENT]
    assert answers(db) == [(PERSON, 3, None)]


def test_the_coordinators_dashboard_shows_the_results_after_the_day(bot, db, clock, example):
    on_the_day(db, clock, example)
    score(bot, PERSON, 4)
    bot.sender.submit_view(open_comment(bot, PERSON), {Block.FEEDBACK_COMMENT: "Mer tid"}, PERSON)
    score(bot, OTHER, 5)
    clock.set(example.ends_at + timedelta(days=2))  # the event is over: its dashboard stays
    bot.sender.event({"type": "app_home_opened", "user": COORDINATOR, "tab": "home"})
    view = bot.slack.wait_for("views.publish")[-1].params["view"]
    text = json.dumps(view if isinstance(view, dict) else json.loads(view), ensure_ascii=False)
    assert "Samordning: Digital partnerskapsdag" in text
    assert "*Återkoppling:* 2 svar, medelbetyg 4,5 av 5 (1: 0, 2: 0, 3: 0, 4: 1, 5: 1)" in text
    assert "> Mer tid" in text


def test_a_comment_from_someone_not_registered_is_refused_and_nothing_stored(
    bot, db, clock, example
):
    on_the_day(db, clock, example)
    outsider = "U0OUTSIDE"
    reply = bot.sender.submit_view(open_comment(bot, outsider), {Block.FEEDBACK_COMMENT: "Hej"},
                                   outsider)  # fmt: skip
    text = reply.json()["view"]["blocks"][0]["text"]["text"]
    assert text == t("bad_input.feedback.not_a_participant", "sv")
    assert answers(db) == []


def test_a_comment_before_the_day_is_refused_and_nothing_stored(bot, db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 1)
    reply = bot.sender.submit_view(open_comment(bot, PERSON), {Block.FEEDBACK_COMMENT: "Hej"},
                                   PERSON)  # fmt: skip
    text = reply.json()["view"]["blocks"][0]["text"]["text"]
    assert text == t("bad_input.feedback.too_early", "sv")
    assert answers(db) == []


def test_a_comment_button_this_app_did_not_write_is_a_400(bot, db, clock, example):
    on_the_day(db, clock, example)
    reply = bot.sender.click(Action.FEEDBACK_COMMENT, "", PERSON, block_id=Block.FEEDBACK_COMMENT)
    assert reply.status == 400
    assert not bot.slack.calls_to("views.open")


def test_a_database_fault_says_the_comment_was_not_saved_and_keeps_the_score(
    bot, db, clock, example
):
    on_the_day(db, clock, example)
    score(bot, PERSON, 4)
    view = open_comment(bot, PERSON)
    with db.engine.begin() as connection:  # a real fault when the comment is written
        connection.execute(text(
            "CREATE TRIGGER fail_comment BEFORE UPDATE OF comment ON feedback_answers "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        ))  # fmt: skip
    reply = bot.sender.submit_view(view, {Block.FEEDBACK_COMMENT: "Mer tid"}, PERSON)
    assert reply.json()["view"]["blocks"][0]["text"]["text"] == (
        "Något gick fel; kommentaren sparades inte. Försök igen om en stund."
    )
    assert answers(db) == [(PERSON, 4, None)]
