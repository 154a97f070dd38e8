"""handlers/feedback_comment.py: the button opens the comment modal; a comment from someone who
has scored is stored; an empty one is marked under the field, one without a score is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.blocks.workshop import build_comment_modal
from bot.i18n import t
from bot.ids.workshop import Action, Block, event_value
from bot.schedule.feedback import record_feedback
from handlers.feedback_comment import handle_add_comment, handle_comment_submission
from rehearsal.signed_requests import state_values
from storage.models import FeedbackAnswer
from tests.conftest import stockholm
from tests.support.coordination import SLUG, register_people, user

DURING_THE_DAY = stockholm(2021, 4, 22, 11, 50)
SCORED, UNSCORED = user(0), user(1)


@pytest.fixture(autouse=True)
def scored_on_the_day(db, clock, services):  # noqa: ANN001
    """Two registered participants; on the day SCORED has given a 4, UNSCORED nothing."""
    register_people(db, clock.now(), 2)
    clock.set(DURING_THE_DAY)
    with db.transaction() as session:
        record_feedback(session, slug=SLUG, user_id=SCORED, score=4, now=clock.now())


def _submission(comment: str | None, user_id: str = SCORED) -> tuple[dict, dict]:
    modal = build_comment_modal(SLUG, "sv").to_dict()
    view = {
        "private_metadata": modal["private_metadata"],
        "state": {"values": state_values(modal, {Block.FEEDBACK_COMMENT: comment})},
    }
    return {"user": {"id": user_id, "locale": "sv-SE"}}, view


def _comments(db) -> dict[str, str | None]:  # noqa: ANN001
    with db.read() as session:
        return {a.user_id: a.comment for a in session.scalars(select(FeedbackAnswer))}


def _notice_text(ack) -> str:  # noqa: ANN001
    return ack.call_args.kwargs["view"]["blocks"][0]["text"]["text"]


def test_the_button_opens_the_comment_modal(ack, client, context):
    body = {
        "user": {"id": SCORED, "locale": "sv-SE"},
        "trigger_id": "1337.42.abcd",
        "actions": [{"action_id": Action.FEEDBACK_COMMENT, "value": event_value(SLUG)}],
    }

    handle_add_comment(ack=ack, body=body, client=client, context=context)

    ack.assert_called_once_with()
    client.views_open.assert_called_once_with(
        trigger_id="1337.42.abcd", view=build_comment_modal(SLUG, "sv")
    )


def test_a_comment_is_stored_with_the_score_and_thanked(ack, context, db):
    body, view = _submission("  Bra dag, mer tid för grupperna  ")

    handle_comment_submission(ack=ack, body=body, view=view, context=context)

    ack.assert_called_once()
    assert ack.call_args.kwargs["response_action"] == "update"
    assert _notice_text(ack) == t("workshop.feedback.thanks", "sv")
    assert _comments(db) == {SCORED: "Bra dag, mer tid för grupperna"}


def test_an_empty_comment_is_marked_under_the_field_and_nothing_stored(ack, context, db):
    body, view = _submission("   ")

    handle_comment_submission(ack=ack, body=body, view=view, context=context)

    ack.assert_called_once_with(
        response_action="errors",
        errors={Block.FEEDBACK_COMMENT: t("workshop.feedback.empty", "sv")},
    )
    assert _comments(db) == {SCORED: None}


def test_a_comment_without_a_score_is_refused_and_nothing_stored(ack, context, db):
    body, view = _submission("Jag har inte röstat", user_id=UNSCORED)

    handle_comment_submission(ack=ack, body=body, view=view, context=context)

    ack.assert_called_once()
    assert ack.call_args.kwargs["response_action"] == "update"
    assert _notice_text(ack) == t("workshop.feedback.score_first", "sv")
    assert _comments(db) == {SCORED: None}
