"""handlers/registration_actions.py: the /anmal buttons (pick an event, cancel, erase, keep)."""

from __future__ import annotations

from sqlalchemy import select

from bot.i18n import t
from bot.ids.registration import Action, button_value
from handlers.registration_actions import (
    handle_cancel_yes,
    handle_erase_yes,
    handle_keep,
    handle_pick_event,
)
from storage.models import Registration, RegistrationStatus
from tests.support.coordination import SLUG, register_people, user


def _click(action: Action, who: str, lang: str = "sv") -> dict:
    return {
        "user": {"id": who},
        "trigger_id": "T0TRIGGER",
        "actions": [{"action_id": action, "value": button_value(SLUG, lang)}],
    }


def _status(db, who: str) -> str | None:  # noqa: ANN001
    with db.read() as session:
        return session.scalar(select(Registration.status).where(Registration.user_id == who))


def test_picking_an_event_opens_its_form(ack, client, respond, context):
    handle_pick_event(ack=ack, body=_click(Action.PICK_EVENT, user(0)), client=client,
                      respond=respond, context=context)  # fmt: skip

    ack.assert_called_once_with()
    client.views_open.assert_called_once()
    assert client.views_open.call_args.kwargs["trigger_id"] == "T0TRIGGER"
    respond.assert_not_called()


def test_confirming_a_cancellation_cancels_and_says_so(ack, respond, context, db, clock, example):
    register_people(db, clock.now(), 1)

    handle_cancel_yes(ack=ack, body=_click(Action.CANCEL_YES, user(0)), respond=respond,
                      context=context)  # fmt: skip

    ack.assert_called_once_with()
    respond.assert_called_once_with(
        text=t("reg.cancel.done", "sv", title=example.title, slug=SLUG), replace_original=True
    )
    assert _status(db, user(0)) == RegistrationStatus.CANCELLED


def test_cancelling_without_a_registration_is_refused_in_words(ack, respond, context, db, example):
    handle_cancel_yes(ack=ack, body=_click(Action.CANCEL_YES, user(0)), respond=respond,
                      context=context)  # fmt: skip

    respond.assert_called_once_with(
        text=t("reg.not_registered", "sv", title=example.title, slug=SLUG), replace_original=True
    )
    assert _status(db, user(0)) is None


def test_confirming_an_erasure_removes_the_registration(ack, respond, context, db, clock, example):
    register_people(db, clock.now(), 1)

    handle_erase_yes(ack=ack, body=_click(Action.ERASE_YES, user(0), "en"), respond=respond,
                     context=context)  # fmt: skip

    respond.assert_called_once_with(
        text=t("reg.erase.done", "en", title=example.title, slug=SLUG), replace_original=True
    )
    assert _status(db, user(0)) is None


def test_keeping_the_registration_changes_nothing(ack, respond, context, db, clock, example):
    register_people(db, clock.now(), 1)

    handle_keep(ack=ack, body=_click(Action.CANCEL_NO, user(0)), respond=respond, context=context)

    ack.assert_called_once_with()
    respond.assert_called_once_with(
        text=t("reg.cancel.kept", "sv", title=example.title), replace_original=True
    )
    assert _status(db, user(0)) == RegistrationStatus.REGISTERED
