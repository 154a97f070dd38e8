"""/samordna: ack at once, check the coordinator on the server, then route to one action."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.coordinator import build_broadcast_modal, build_overview_text
from bot.coordination.commands import SamordnaCommand, Verb, event_for, parse_samordna
from bot.coordination.overview import build_overview
from bot.errors import DomainError
from bot.events.service import definition_of
from bot.i18n import t
from workers.card import post_card
from workers.coordinator_actions import breakout_reply
from workers.coordinators import language, refusal_text
from workers.export import upload_export, upload_zoom
from workers.services import services_of

logger = logging.getLogger(__name__)


def _help(command: SamordnaCommand, lang: str) -> str:
    prefix = t("coord.unknown_text", lang, text=command.unknown) + "\n\n" if command.unknown else ""
    return prefix + t("coord.help", lang)


def handle_samordna(ack: Ack, command: dict, client: WebClient, context: dict) -> None:
    """/samordna [utskick | lista | export | flytta | publicera | hjalp] [SLUG]."""
    services = services_of(context)
    user_id, lang = command["user_id"], language(services)
    parsed = parse_samordna(command.get("text", ""))
    if parsed.verb == Verb.HELP:
        ack(text=_help(parsed, lang))
        return
    try:
        with services.db.transaction() as session:
            event = event_for(
                session, services.coordinators, slug=parsed.slug, user_id=user_id,
                action=parsed.verb, now=services.clock.now(),
            )  # fmt: skip
            slug, definition = event.slug, definition_of(event)
            overview = build_overview(session, event) if parsed.verb == Verb.LIST else None
    except DomainError as exc:
        ack(text=refusal_text(exc, lang))
        return
    except Exception:
        logger.exception("Failed to run /samordna for %s", user_id)
        ack(text=t("coord.error", lang))
        return
    lang = definition.language  # the event is known: its language, as everything about it
    if overview is not None:
        ack(text=build_overview_text(overview, services.clock.now(), lang))
        return
    if parsed.verb == Verb.BROADCAST:
        ack()
        view = build_broadcast_modal(definition, lang=lang)
        trigger_id = command["trigger_id"]
        _after_ack(
            client, command, lang, lambda: client.views_open(trigger_id=trigger_id, view=view)
        )
        return
    if parsed.verb == Verb.EXPORT:
        ack(text=t("coord.export.started", lang, title=definition.title))
        _after_ack(client, command, lang, lambda: upload_export(
            client, services, slug=slug, user_id=user_id, lang=lang))  # fmt: skip
        return
    if parsed.verb == Verb.CARD:
        channel = parsed.channel or command["channel_id"]
        request_id = command.get("trigger_id") or str(services.clock.now().timestamp())
        where = f"<#{channel}>" if channel[:1] in ("C", "G") else channel
        ack(text=t("around.card.posted", lang, title=definition.title, channel=where))
        _after_ack(client, command, lang, lambda: post_card(
            services, slug=slug, channel=channel, request_id=request_id))  # fmt: skip
        return
    if parsed.verb == Verb.ZOOM:
        ack(text=t("around.zoom.started", lang, title=definition.title))
        _after_ack(client, command, lang, lambda: upload_zoom(
            client, services, slug=slug, user_id=user_id, lang=lang))  # fmt: skip
        return
    ack()
    _after_ack(client, command, lang, lambda: client.chat_postEphemeral(
        channel=command["channel_id"], user=user_id,
        text=breakout_reply(services, parsed.verb, slug, user_id, lang,
                                 user_id=parsed.user_id, group_key=parsed.group_key)))  # fmt: skip


def _after_ack(client: WebClient, command: dict, lang: str, work) -> None:  # noqa: ANN001
    """Slow work after the ack; a refusal or failure is told privately."""
    try:
        work()
    except DomainError as exc:
        text = refusal_text(exc, lang)
    except Exception:
        logger.exception("Failed /samordna %s for %s", command.get("text"), command["user_id"])
        text = t("coord.error", lang)
    else:
        return
    client.chat_postEphemeral(channel=command["channel_id"], user=command["user_id"], text=text)


def register(app: App) -> None:
    app.command("/samordna")(handle_samordna)
