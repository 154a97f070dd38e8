"""handlers/feedback_actions.py: a feedback button stores the score and thanks in place (from a
registered participant, once the day has begun)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.blocks.workshop import build_feedback_thanks
from bot.i18n import t
from bot.ids.schedule import Action
from handlers.feedback_actions import handle_feedback_score
from storage.models import FeedbackAnswer
from tests.conftest import stockholm
from tests.support.coordination import SLUG, register_people, user

DURING_THE_DAY = stockholm(2021, 4, 22, 11, 50)


@pytest.fixture(autouse=True)
def registered_on_the_day(db, clock, services):  # noqa: ANN001
    """USER registered before the deadline; the clicks come on the day."""
    register_people(db, clock.now(), 1)
    clock.set(DURING_THE_DAY)


USER = user(0)


def _click(value: str, locale: str = "sv-SE") -> dict:
    return {
        "user": {"id": USER, "locale": locale},
        "actions": [{"action_id": f"{Action.FEEDBACK_SCORE}_4", "value": value}],
    }


def _scores(db) -> list[tuple[str, int]]:  # noqa: ANN001
    with db.read() as session:
        return [(a.user_id, a.score) for a in session.scalars(select(FeedbackAnswer))]


def test_a_score_is_stored_and_the_question_replaced_by_thanks(ack, respond, context, db):
    handle_feedback_score(ack=ack, body=_click(f"{SLUG}|4"), respond=respond, context=context)

    ack.assert_called_once_with()
    thanks = t("sched.feedback.thanks", "sv", score="4")
    respond.assert_called_once_with(  # with the button for an optional comment
        text=thanks, blocks=build_feedback_thanks(thanks, SLUG, "sv"), replace_original=True
    )
    assert _scores(db) == [(USER, 4)]


def test_the_thanks_follow_the_clickers_language(ack, respond, context):
    handle_feedback_score(ack=ack, body=_click(f"{SLUG}|5", "en-GB"), respond=respond,
                          context=context)  # fmt: skip

    assert respond.call_args.kwargs["text"] == t("sched.feedback.thanks", "en", score="5")


def test_an_unknown_event_or_a_bad_score_stores_nothing_and_says_so(ack, respond, context, db):
    handle_feedback_score(ack=ack, body=_click("finns-inte|4"), respond=respond, context=context)
    handle_feedback_score(ack=ack, body=_click(f"{SLUG}|9"), respond=respond, context=context)

    assert ack.call_count == 2
    assert [c.kwargs["text"] for c in respond.call_args_list] == [
        t("bad_input.feedback.unknown_event", "sv"),
        t("sched.feedback.bad_score", "sv", score=9),
    ]
    assert all(c.kwargs["response_type"] == "ephemeral" for c in respond.call_args_list)
    assert _scores(db) == []
