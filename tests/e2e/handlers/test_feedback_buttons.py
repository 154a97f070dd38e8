"""The feedback buttons over HTTP: the click is acked, the score stored, the question replaced."""

from __future__ import annotations

from sqlalchemy import select

from bot.ids.schedule import Action, Block
from storage.models import FeedbackAnswer
from tests.conftest import load


def test_clicking_a_score_stores_it_and_thanks_in_place(bot, db, clock, example):
    load(db, example, clock)
    reply = bot.sender.click(
        f"{Action.FEEDBACK_SCORE}_4",
        "skelleftea-2021|4",
        "U0PARTIC1",
        block_id=Block.FEEDBACK,
        response_url=bot.slack.response_url,
    )
    assert reply.status == 200
    response = bot.slack.wait_for("response_url")[0]
    assert response.params["replace_original"] in (True, "true")
    assert "Tack för ditt svar (4 av 5)" in response.params["text"]
    with db.transaction() as session:
        answer = session.scalars(select(FeedbackAnswer)).one()
        assert (answer.user_id, answer.score) == ("U0PARTIC1", 4)


def test_a_score_that_is_not_a_number_stores_nothing_and_keeps_the_question(
    bot, db, clock, example
):
    load(db, example, clock)
    reply = bot.sender.click(
        f"{Action.FEEDBACK_SCORE}_4",
        "skelleftea-2021|four",
        "U0PARTIC1",
        block_id=Block.FEEDBACK,
        response_url=bot.slack.response_url,
    )
    assert reply.status == 200  # acked; the decoder's BadPayload is logged, nothing replaced
    with db.transaction() as session:
        assert session.scalars(select(FeedbackAnswer)).all() == []
    # a good click afterwards is answered; the bad one never was
    bot.sender.click(f"{Action.FEEDBACK_SCORE}_2", "skelleftea-2021|2", "U0PARTIC1",
                     block_id=Block.FEEDBACK, response_url=bot.slack.response_url)  # fmt: skip
    responses = bot.slack.wait_for("response_url")
    assert ["(2 av 5)" in r.params["text"] for r in responses] == [True]
    with db.transaction() as session:
        assert [a.score for a in session.scalars(select(FeedbackAnswer))] == [2]
