"""handlers/anmal.py: /anmal answers privately in the ack, or acks and opens the form."""

from __future__ import annotations

from bot.i18n import t
from bot.ids.registration import Callback
from bot.registration.form import FormField
from handlers.anmal import handle_anmal

USER = "U0PARTIC1"


def _command(text: str = "") -> dict:
    return {"user_id": USER, "text": text, "trigger_id": "T0TRIGGER", "channel_id": "C0CHANNEL"}


def _as_dict(view) -> dict:  # noqa: ANN001
    return view.to_dict() if hasattr(view, "to_dict") else view


def test_opens_the_registration_form_prefilled_from_the_profile(ack, client, context):
    handle_anmal(ack=ack, command=_command(), client=client, context=context)

    ack.assert_called_once_with()
    client.views_open.assert_called_once()
    kwargs = client.views_open.call_args.kwargs
    assert kwargs["trigger_id"] == "T0TRIGGER"
    view = _as_dict(kwargs["view"])
    assert view["callback_id"] == Callback.REGISTRATION_MODAL
    name = next(b for b in view["blocks"] if b.get("block_id") == FormField.NAME)
    assert name["element"]["initial_value"] == "Ida Participant"
    client.chat_postEphemeral.assert_not_called()


def test_status_without_a_registration_is_answered_in_the_ack(ack, client, context):
    handle_anmal(ack=ack, command=_command("status"), client=client, context=context)

    ack.assert_called_once()
    assert ack.call_args.kwargs["text"] == t("reg.status.none", "sv")
    client.views_open.assert_not_called()


def test_an_unknown_event_is_named_and_nothing_opens(ack, client, context):
    handle_anmal(ack=ack, command=_command("finns-inte-2030"), client=client, context=context)

    ack.assert_called_once()
    assert "finns-inte-2030" in ack.call_args.kwargs["text"]
    client.views_open.assert_not_called()


def test_a_form_that_cannot_open_is_told_privately(ack, client, context):
    client.views_open.side_effect = RuntimeError("trigger_id expired")

    handle_anmal(ack=ack, command=_command(), client=client, context=context)

    ack.assert_called_once_with()
    client.chat_postEphemeral.assert_called_once_with(
        channel="C0CHANNEL", user=USER, text=t("reg.error", "sv")
    )
