"""handlers/card_actions.py: the registration card's buttons answer like /anmal; a person of
another organisation is refused in words when the card's app cannot send e-mail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.i18n import t
from bot.ids.around import CardAction
from bot.ids.registration import button_value
from handlers.card_actions import handle_card_cancel, handle_card_register
from storage.models import Registration
from tests.support.coordination import SLUG, user

OUR_TEAM = "T0OURTEAM1"
THEIR_TEAM = "T0PARTNER1"


@pytest.fixture(autouse=True)
def our_team(services):  # noqa: ANN001
    """auth.test names the bot's own workspace."""
    services.profile_client.auth_test.return_value = {"ok": True, "team_id": OUR_TEAM}


def _press(action: CardAction, who: str = user(0), team: str = OUR_TEAM,
           lang: str = "sv") -> dict:  # fmt: skip
    return {
        "user": {"id": who, "team_id": team},
        "trigger_id": "T0TRIGGER",
        "actions": [{"action_id": action, "value": button_value(SLUG, lang)}],
    }


def _registrations(db) -> int:  # noqa: ANN001
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Registration))


def test_register_opens_the_form(ack, client, respond, context):
    handle_card_register(ack=ack, body=_press(CardAction.REGISTER), client=client,
                         respond=respond, context=context)  # fmt: skip

    ack.assert_called_once_with()
    client.views_open.assert_called_once()
    assert client.views_open.call_args.kwargs["trigger_id"] == "T0TRIGGER"
    respond.assert_not_called()


def test_an_outside_person_without_smtp_is_refused_and_nothing_is_stored(
    ack, client, respond, context, db, services, example
):
    assert not services.settings.mail_enabled

    handle_card_register(ack=ack, body=_press(CardAction.REGISTER, team=THEIR_TEAM),
                         client=client, respond=respond, context=context)  # fmt: skip

    ack.assert_called_once_with()
    respond.assert_called_once_with(
        text=t("around.card.external_refused", "sv", title=example.title),
        replace_original=False,
        response_type="ephemeral",
    )
    client.views_open.assert_not_called()
    assert _registrations(db) == 0


def test_the_refusal_follows_the_buttons_language(ack, client, respond, context, example):
    handle_card_register(ack=ack, body=_press(CardAction.REGISTER, team=THEIR_TEAM, lang="en"),
                         client=client, respond=respond, context=context)  # fmt: skip

    assert respond.call_args.kwargs["text"] == t(
        "around.card.external_refused", "en", title=example.title
    )


def test_cancel_without_a_registration_is_told_privately(ack, client, respond, context, db,
                                                          example):  # fmt: skip
    handle_card_cancel(ack=ack, body=_press(CardAction.CANCEL), client=client, respond=respond,
                       context=context)  # fmt: skip

    ack.assert_called_once_with()
    respond.assert_called_once()
    kwargs = respond.call_args.kwargs
    assert kwargs["text"] == t("reg.not_registered", "sv", title=example.title, slug=SLUG)
    assert kwargs["replace_original"] is False and kwargs["response_type"] == "ephemeral"
    client.views_open.assert_not_called()
    assert _registrations(db) == 0
