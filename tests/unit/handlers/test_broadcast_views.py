"""handlers/broadcast_views.py: compose -> preview -> confirm, and the buttons of a scheduled
broadcast. Errors are shown under the field (response_action "errors"); refusals in words."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.blocks.coordinator import build_broadcast_modal
from bot.coordination.audience import Audience
from bot.i18n import t
from bot.ids.coordinator import Action, Callback, Field
from handlers.broadcast_views import (
    handle_broadcast_submission,
    handle_cancel_scheduled,
    handle_preview_submission,
    handle_retry_failed,
)
from rehearsal.signed_requests import state_values
from storage.models import Broadcast, BroadcastStatus
from tests.support.coordination import COORDINATOR, OUTSIDER, SLUG, register_people


def _compose(example, text: str, *, in_minutes: int | None = 60, clock=None) -> dict:  # noqa: ANN001
    view = build_broadcast_modal(example, lang="sv")
    stamp = int((clock.now() + timedelta(minutes=in_minutes)).timestamp()) if in_minutes else None
    answers = {Field.TEXT: text, Field.AUDIENCE: [Audience.REGISTERED], Field.SEND_AT: stamp}
    return {"private_metadata": view["private_metadata"],
            "state": {"values": state_values(view, answers)}}  # fmt: skip


def _statuses(db) -> list[str]:  # noqa: ANN001
    with db.read() as session:
        return list(session.scalars(select(Broadcast.status)))


def _as_dict(view) -> dict:  # noqa: ANN001
    return view.to_dict() if hasattr(view, "to_dict") else view


def _draft(ack, context, example, clock) -> dict:  # noqa: ANN001
    """Three people registered, then a valid compose modal; the preview the coordinator sees."""
    register_people(context["services"].db, clock.now(), 3)
    handle_broadcast_submission(ack=ack, body={"user": {"id": COORDINATOR}},
                                view=_compose(example, "Hej alla!", clock=clock),
                                context=context)  # fmt: skip
    return _as_dict(ack.call_args.kwargs["view"])


def test_an_empty_message_is_shown_under_the_text_field(ack, context, example, clock, db):
    handle_broadcast_submission(ack=ack, body={"user": {"id": COORDINATOR}},
                                view=_compose(example, "", clock=clock),
                                context=context)  # fmt: skip

    ack.assert_called_once_with(
        response_action="errors", errors={Field.TEXT: t("coord.err.empty", "sv")}
    )
    assert _statuses(db) == []


def test_an_outsider_is_refused_and_nothing_is_stored(ack, context, example, clock, db):
    handle_broadcast_submission(ack=ack, body={"user": {"id": OUTSIDER}},
                                view=_compose(example, "Hej!", clock=clock),
                                context=context)  # fmt: skip

    ack.assert_called_once()
    assert ack.call_args.kwargs["response_action"] == "update"
    text = _as_dict(ack.call_args.kwargs["view"])["blocks"][0]["text"]["text"]
    assert text == t("coord.not_coordinator", "sv", slug=SLUG)
    assert _statuses(db) == []


def test_a_valid_message_is_stored_as_a_draft_and_previewed(ack, context, example, clock, db):
    preview = _draft(ack, context, example, clock)

    assert ack.call_args.kwargs["response_action"] == "update"
    assert preview["callback_id"] == Callback.BROADCAST_PREVIEW
    assert _statuses(db) == [BroadcastStatus.DRAFT]


def test_confirming_a_timed_broadcast_schedules_it(ack, context, example, clock, db):
    preview = _draft(ack, context, example, clock)
    ack.reset_mock()

    handle_preview_submission(ack=ack, body={"user": {"id": COORDINATOR}},
                              view={"private_metadata": preview["private_metadata"]},
                              context=context)  # fmt: skip

    ack.assert_called_once()
    text = _as_dict(ack.call_args.kwargs["view"])["blocks"][0]["text"]["text"]
    assert text.startswith(t("coord.scheduled", "sv", title=example.title, when="")[:20])
    assert _statuses(db) == [BroadcastStatus.SCHEDULED]


def _button(action: Action, broadcast_id: int, user: str) -> dict:
    return {"user": {"id": user}, "actions": [{"action_id": action, "value": str(broadcast_id)}]}


def test_cancelling_a_scheduled_broadcast_answers_by_dm(ack, client, respond, context, example,
                                                         clock, db):  # fmt: skip
    preview = _draft(ack, context, example, clock)
    handle_preview_submission(ack=ack, body={"user": {"id": COORDINATOR}},
                              view={"private_metadata": preview["private_metadata"]},
                              context=context)  # fmt: skip
    broadcast_id = int(preview["private_metadata"].split("|")[0])

    handle_cancel_scheduled(ack=ack, body=_button(Action.CANCEL_SCHEDULED, broadcast_id,
                                                  COORDINATOR),
                            client=client, context=context, respond=respond)  # fmt: skip

    client.chat_postMessage.assert_called_once_with(
        channel=COORDINATOR, text=t("coord.cancelled", "sv")
    )
    assert _statuses(db) == [BroadcastStatus.CANCELLED]


def test_an_outsider_cannot_retry_a_broadcast(ack, client, respond, context, example, clock, db):
    preview = _draft(ack, context, example, clock)
    broadcast_id = int(preview["private_metadata"].split("|")[0])
    ack.reset_mock()

    handle_retry_failed(ack=ack, body=_button(Action.RETRY_FAILED, broadcast_id, OUTSIDER),
                        client=client, context=context, respond=respond)  # fmt: skip

    ack.assert_called_once_with()
    client.chat_postMessage.assert_called_once_with(
        channel=OUTSIDER, text=t("coord.not_coordinator", "sv", slug=SLUG)
    )
    assert _statuses(db) == [BroadcastStatus.DRAFT]


def test_an_audience_of_nobody_is_shown_under_the_audience_field(ack, context, example, clock,
                                                                 db):  # fmt: skip
    handle_broadcast_submission(ack=ack, body={"user": {"id": COORDINATOR}},
                                view=_compose(example, "Hej alla!", clock=clock),
                                context=context)  # fmt: skip

    ack.assert_called_once_with(
        response_action="errors", errors={Field.AUDIENCE: t("coord.err.nobody", "sv")}
    )
