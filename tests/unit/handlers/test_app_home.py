"""handlers/app_home.py: the Home tab is published on app_home_opened; dashboard buttons act
for coordinators only and answer by DM."""

from __future__ import annotations

import logging

from bot.i18n import t
from bot.ids.coordinator import Action
from handlers.app_home import handle_app_home_opened, handle_home_button
from tests.support.coordination import COORDINATOR, OUTSIDER, SLUG


def _button(action: Action, user: str) -> dict:
    return {
        "user": {"id": user},
        "trigger_id": "T0TRIGGER",
        "actions": [{"action_id": action, "value": SLUG}],
    }


def test_opening_the_home_tab_publishes_it(client, context):
    handle_app_home_opened(event={"tab": "home", "user": COORDINATOR}, client=client,
                           context=context)  # fmt: skip

    client.views_publish.assert_called_once()
    kwargs = client.views_publish.call_args.kwargs
    assert kwargs["user_id"] == COORDINATOR
    assert kwargs["view"]["type"] == "home"


def test_another_tab_publishes_nothing(client, context):
    handle_app_home_opened(event={"tab": "messages", "user": COORDINATOR}, client=client,
                           context=context)  # fmt: skip

    client.views_publish.assert_not_called()


def test_a_failed_publish_is_logged_not_raised(client, context, caplog):
    client.views_publish.side_effect = RuntimeError("ratelimited")

    with caplog.at_level(logging.ERROR):
        handle_app_home_opened(event={"tab": "home", "user": COORDINATOR}, client=client,
                               context=context)  # fmt: skip

    client.views_publish.assert_called_once()
    assert "Failed to publish the Home tab" in caplog.text


def test_the_list_button_sends_the_overview_to_the_coordinator(ack, client, context):
    handle_home_button(ack=ack, body=_button(Action.HOME_LIST, COORDINATOR), client=client,
                       context=context)  # fmt: skip

    ack.assert_called_once_with()
    client.chat_postMessage.assert_called_once()
    kwargs = client.chat_postMessage.call_args.kwargs
    assert kwargs["channel"] == COORDINATOR
    assert "120" in kwargs["text"]  # the seat limit of the example event


def test_the_broadcast_button_opens_the_compose_modal(ack, client, context):
    handle_home_button(ack=ack, body=_button(Action.HOME_BROADCAST, COORDINATOR), client=client,
                       context=context)  # fmt: skip

    ack.assert_called_once_with()
    client.views_open.assert_called_once()
    assert client.views_open.call_args.kwargs["trigger_id"] == "T0TRIGGER"


def test_an_outsider_is_refused_by_dm_and_nothing_else_happens(ack, client, context):
    handle_home_button(ack=ack, body=_button(Action.HOME_EXPORT, OUTSIDER), client=client,
                       context=context)  # fmt: skip

    ack.assert_called_once_with()
    client.chat_postMessage.assert_called_once_with(
        channel=OUTSIDER, text=t("coord.not_coordinator", "sv", slug=SLUG)
    )
    client.files_upload_v2.assert_not_called()
    client.views_open.assert_not_called()
