"""handlers/registration_views.py: a submission is validated, recorded in the inbox and acked;
a bad one is answered inline (response_action "errors") and nothing is recorded."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.blocks.registration_modal import Prefill, build_groups_modal, build_registration_modal
from bot.i18n import t
from bot.registration.form import FormField
from handlers.registration_views import (
    handle_groups_submission,
    handle_registration_submission,
)
from rehearsal.signed_requests import state_values
from storage.models import InboxItem
from tests.support.forms import ANSWERS, USER


def _submission(modal, answers: dict) -> dict:  # noqa: ANN001
    view = modal.to_dict()
    return {
        "id": "V0VIEW0001",
        "private_metadata": view["private_metadata"],
        "state": {"values": state_values(view, answers)},
    }


def _form(example, **answers) -> dict:  # noqa: ANN001
    modal = build_registration_modal(example, prefill=Prefill(), seats_left=120, lang="sv")
    return _submission(modal, {**ANSWERS, **answers})


def _recorded(db) -> int:  # noqa: ANN001
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(InboxItem))


def _notice_text(ack) -> str:  # noqa: ANN001
    view = ack.call_args.kwargs["view"]
    view = view.to_dict() if hasattr(view, "to_dict") else view
    return view["blocks"][0]["text"]["text"]


def test_a_valid_form_is_recorded_and_acked_with_the_receipt(ack, context, example, db):
    handle_registration_submission(ack=ack, body={"user": {"id": USER}},
                                   view=_form(example), context=context)  # fmt: skip

    ack.assert_called_once()
    assert ack.call_args.kwargs["response_action"] == "update"
    assert _notice_text(ack) == t("reg.received", "sv", title=example.title)
    assert _recorded(db) == 1


def test_a_missing_name_is_shown_under_the_field_and_nothing_recorded(ack, context, example, db):
    handle_registration_submission(ack=ack, body={"user": {"id": USER}},
                                   view=_form(example, **{FormField.NAME: ""}),
                                   context=context)  # fmt: skip

    ack.assert_called_once_with(
        response_action="errors", errors={FormField.NAME: t("reg.err.required", "sv")}
    )
    assert _recorded(db) == 0


def test_after_the_deadline_the_modal_says_closed_and_nothing_recorded(
    ack, context, example, clock, db
):
    clock.set(example.closes_at + timedelta(minutes=1))

    handle_registration_submission(ack=ack, body={"user": {"id": USER}},
                                   view=_form(example), context=context)  # fmt: skip

    assert ack.call_args.kwargs["response_action"] == "update"
    assert _notice_text(ack).startswith(
        f"Anmälan till *{example.title}* stängde fredag 16 april 2021 kl. 16:30."
    )
    assert _recorded(db) == 0


def test_a_group_chosen_twice_is_refused_inline(ack, context, example, db):
    modal = build_groups_modal(example, preferences=(), lang="sv")
    view = _submission(modal, {FormField.CHOICE_1: "ai", FormField.CHOICE_2: "ai"})

    handle_groups_submission(ack=ack, body={"user": {"id": USER}}, view=view, context=context)

    ack.assert_called_once_with(
        response_action="errors",
        errors={FormField.CHOICE_2: t("reg.err.duplicate_choice", "sv")},
    )
    assert _recorded(db) == 0
