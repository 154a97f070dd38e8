"""handlers/draft_review.py: a coordinator opens, re-drafts and publishes the breakout draft;
anyone else is shown why not, and nothing is drafted or published."""

from __future__ import annotations

from sqlalchemy import select

from bot.blocks.registration_modal import build_notice_modal
from bot.breakouts import service as breakouts
from bot.i18n import t
from bot.ids.workshop import Action, Callback, event_value
from handlers.draft_review import handle_open_review, handle_publish, handle_redraft
from storage.models import Assignment
from tests.support.coordination import COORDINATOR, OUTSIDER, SLUG, register_people


def _notice(text: str) -> dict:
    return build_notice_modal(t("workshop.review.title", "sv"), text).to_dict()


def _click(action: Action, who: str) -> dict:
    return {
        "user": {"id": who},
        "trigger_id": "T0TRIGGER",
        "view": {"id": "V0REVIEW01", "hash": "h-1"},
        "actions": [{"action_id": action, "value": event_value(SLUG)}],
    }


def _submission(who: str) -> tuple[dict, dict]:
    view = {"id": "V0REVIEW01", "callback_id": Callback.REVIEW_MODAL,
            "private_metadata": event_value(SLUG)}  # fmt: skip
    return {"user": {"id": who}, "view": view}, view


def _statuses(db) -> list[str]:  # noqa: ANN001
    with db.read() as session:
        return [a.status for a in session.scalars(select(Assignment).order_by(Assignment.version))]


def _draft(db, clock) -> None:  # noqa: ANN001
    register_people(db, clock.now(), 6)
    with db.transaction() as session:
        breakouts.draft(session, slug=SLUG, now=clock.now())


def test_an_outsider_opening_the_review_is_told_why_not(ack, client, context, db, clock):
    _draft(db, clock)

    handle_open_review(ack=ack, body=_click(Action.REVIEW_OPEN, OUTSIDER), client=client,
                       context=context)  # fmt: skip

    ack.assert_called_once_with()
    client.views_open.assert_called_once_with(
        trigger_id="T0TRIGGER", view=_notice(t("workshop.review.not_coordinator", "sv"))
    )


def test_a_coordinator_without_a_draft_is_told_there_is_none(ack, client, context, db):
    handle_open_review(ack=ack, body=_click(Action.REVIEW_OPEN, COORDINATOR), client=client,
                       context=context)  # fmt: skip

    client.views_open.assert_called_once_with(
        trigger_id="T0TRIGGER", view=_notice(t("breakouts.no_draft", "sv", slug=SLUG))
    )
    assert _statuses(db) == []


def test_a_coordinator_opens_the_review_modal(ack, client, context, db, clock):
    _draft(db, clock)

    handle_open_review(ack=ack, body=_click(Action.REVIEW_OPEN, COORDINATOR), client=client,
                       context=context)  # fmt: skip

    view = client.views_open.call_args.kwargs["view"]
    assert view["callback_id"] == Callback.REVIEW_MODAL
    assert view["private_metadata"] == event_value(SLUG)


def test_an_outsider_cannot_redraft(ack, client, context, db, clock):
    register_people(db, clock.now(), 6)

    handle_redraft(ack=ack, body=_click(Action.REVIEW_REDRAFT, OUTSIDER), client=client,
                   context=context)  # fmt: skip

    client.views_update.assert_called_once_with(
        view_id="V0REVIEW01", hash="h-1", view=_notice(t("workshop.review.not_coordinator", "sv"))
    )
    assert _statuses(db) == []


def test_an_outsider_cannot_publish_and_the_draft_stays_a_draft(ack, context, db, clock):
    _draft(db, clock)
    body, view = _submission(OUTSIDER)

    handle_publish(ack=ack, body=body, view=view, context=context)

    ack.assert_called_once_with(
        response_action="update", view=_notice(t("workshop.review.not_coordinator", "sv"))
    )
    assert _statuses(db) == ["draft"]


def test_a_coordinator_publishes_the_draft(ack, context, db, clock):
    _draft(db, clock)
    body, view = _submission(COORDINATOR)

    handle_publish(ack=ack, body=body, view=view, context=context)

    ack.assert_called_once_with(
        response_action="update", view=_notice(t("workshop.review.published", "sv", version=1))
    )
    assert _statuses(db) == ["published"]
