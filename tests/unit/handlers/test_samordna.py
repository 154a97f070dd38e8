"""handlers/samordna.py: /samordna answers in the ack; slow work (the modal, the export, the
breakout actions) comes after it; anyone but a coordinator is refused and nothing happens."""

from __future__ import annotations

from bot.i18n import t
from bot.ids.coordinator import Callback
from handlers.samordna import handle_samordna
from tests.support.coordination import COORDINATOR, OUTSIDER, SLUG, register_people


def _command(text: str, user: str = COORDINATOR) -> dict:
    return {"user_id": user, "text": text, "trigger_id": "T0TRIGGER", "channel_id": "C0CHANNEL"}


def test_help_is_the_ack(ack, client, context):
    handle_samordna(ack=ack, command=_command("hjalp"), client=client, context=context)

    ack.assert_called_once_with(text=t("coord.help", "sv"))
    client.chat_postEphemeral.assert_not_called()


def test_an_outsider_is_refused_in_the_ack_and_nothing_is_sent(ack, client, context):
    handle_samordna(ack=ack, command=_command(f"export {SLUG}", OUTSIDER), client=client,
                    context=context)  # fmt: skip

    ack.assert_called_once_with(text=t("coord.not_coordinator", "sv", slug=SLUG))
    client.files_upload_v2.assert_not_called()
    client.chat_postEphemeral.assert_not_called()


def test_lista_answers_with_the_overview(ack, client, context, db, clock):
    register_people(db, clock.now(), 4)

    handle_samordna(ack=ack, command=_command("lista"), client=client, context=context)

    ack.assert_called_once()
    text = ack.call_args.kwargs["text"]
    assert "4" in text and "116" in text  # registered, and seats left of 120


def test_utskick_acks_then_opens_the_compose_modal(ack, client, context):
    handle_samordna(ack=ack, command=_command("utskick"), client=client, context=context)

    ack.assert_called_once_with()
    client.views_open.assert_called_once()
    kwargs = client.views_open.call_args.kwargs
    assert kwargs["trigger_id"] == "T0TRIGGER"
    assert kwargs["view"]["callback_id"] == Callback.BROADCAST_MODAL


def test_export_uploads_the_csv_to_the_coordinators_dm(ack, client, context, db, clock, example):
    register_people(db, clock.now(), 2)

    handle_samordna(ack=ack, command=_command("export"), client=client, context=context)

    ack.assert_called_once_with(text=t("coord.export.started", "sv", title=example.title))
    client.conversations_open.assert_called_once_with(users=COORDINATOR)
    client.files_upload_v2.assert_called_once()
    kwargs = client.files_upload_v2.call_args.kwargs
    assert kwargs["channel"] == "D0COORDIN1"
    assert kwargs["filename"] == f"deltagare-{SLUG}.csv"
    assert kwargs["content"].decode("utf-8-sig").startswith("Anmälningsnummer;Status;Namn")


def test_publicera_without_a_draft_is_told_privately(ack, client, context):
    handle_samordna(ack=ack, command=_command("publicera"), client=client, context=context)

    ack.assert_called_once_with()
    client.chat_postEphemeral.assert_called_once_with(
        channel="C0CHANNEL", user=COORDINATOR, text=t("breakouts.no_draft", "sv", slug=SLUG)
    )


def test_a_failed_upload_is_told_privately(ack, client, context):
    client.files_upload_v2.side_effect = RuntimeError("upload failed")

    handle_samordna(ack=ack, command=_command("export"), client=client, context=context)

    client.chat_postEphemeral.assert_called_once_with(
        channel="C0CHANNEL", user=COORDINATOR, text=t("coord.error", "sv")
    )
