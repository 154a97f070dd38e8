"""The feedback buttons over HTTP: the click is acked, the score stored, the question replaced;
only a registered participant may answer, and only once the day has begun."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.ids.schedule import Action, Block
from storage.models import FeedbackAnswer
from tests.conftest import load, stockholm
from tests.support.forms import count, register

DURING_THE_DAY = stockholm(2021, 4, 22, 11, 50)


def _click(bot, user="U0PARTIC1", value="skelleftea-2021|4"):
    return bot.sender.click(
        f"{Action.FEEDBACK_SCORE}_4",
        value,
        user,
        block_id=Block.FEEDBACK,
        response_url=bot.slack.response_url,
    )


def test_clicking_a_score_stores_it_and_thanks_in_place(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    clock.set(DURING_THE_DAY)
    reply = _click(bot)
    assert reply.status == 200
    response = bot.slack.wait_for("response_url")[0]
    assert response.params["replace_original"] in (True, "true")
    assert "Tack för ditt svar (4 av 5)" in response.params["text"]
    with db.transaction() as session:
        answer = session.scalars(select(FeedbackAnswer)).one()
        assert (answer.user_id, answer.score) == ("U0PARTIC1", 4)


def test_someone_not_registered_is_told_and_nothing_is_stored(bot, db, clock, example):
    load(db, example, clock)
    clock.set(DURING_THE_DAY)
    assert _click(bot, user="U0STRANGER").status == 200
    response = bot.slack.wait_for("response_url")[0]
    assert response.params["replace_original"] in (False, "false")
    assert response.params["response_type"] == "ephemeral"
    assert response.params["text"] == (
        "Bara den som var anmäld till dagen kan svara på frågan. Ditt svar sparades inte."
    )
    assert count(db, FeedbackAnswer) == 0


def test_an_answer_before_the_day_begins_is_refused(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    assert _click(bot).status == 200
    response = bot.slack.wait_for("response_url")[0]
    assert response.params["text"] == (
        "Frågan om dagen går att besvara först när dagen har börjat. Ditt svar sparades inte."
    )
    assert count(db, FeedbackAnswer) == 0


@pytest.mark.parametrize("value", ["skelleftea-2021|fyra", "nope", "skelleftea-2021|"])
def test_a_score_that_is_no_number_is_a_400(bot, db, clock, example, value):
    load(db, example, clock)
    register(bot)
    clock.set(DURING_THE_DAY)
    assert _click(bot, value=value).status == 400
    assert bot.slack.calls_to("response_url") == []
    assert count(db, FeedbackAnswer) == 0


def test_a_score_off_the_scale_is_refused(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    clock.set(DURING_THE_DAY)
    assert _click(bot, value="skelleftea-2021|9").status == 200
    response = bot.slack.wait_for("response_url")[0]
    assert response.params["response_type"] == "ephemeral"
    assert response.params["text"] == "Svaret 9 finns inte (1–5)."
    assert count(db, FeedbackAnswer) == 0
