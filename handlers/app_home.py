"""The Home tab (app_home_opened -> views.publish) and its dashboard buttons."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.coordinator import build_broadcast_modal, build_overview_text
from bot.coordination.commands import Verb, event_for
from bot.coordination.overview import build_overview
from bot.errors import DomainError
from bot.events.service import definition_of
from bot.i18n import t
from bot.ids.coordinator import Action, read_home_button_value
from workers.coordinator_actions import breakout_reply
from workers.coordinators import language, refusal_text
from workers.export import upload_export
from workers.home import publish_home
from workers.services import services_of

logger = logging.getLogger(__name__)


def handle_app_home_opened(event: dict, client: WebClient, context: dict) -> None:
    if event.get("tab", "home") != "home":
        return
    try:
        publish_home(client, services_of(context), event["user"])
    except Exception:
        logger.exception("Failed to publish the Home tab for %s", event.get("user"))


def handle_home_button(ack: Ack, body: dict, client: WebClient, context: dict) -> None:
    """A dashboard button: check the coordinator, then act; the answer comes as a DM."""
    ack()
    services = services_of(context)
    lang: str = language(services)  # until the event is known
    user_id = body["user"]["id"]
    action = body["actions"][0]
    verb = {
        Action.HOME_BROADCAST: Verb.BROADCAST,
        Action.HOME_LIST: Verb.LIST,
        Action.HOME_EXPORT: Verb.EXPORT,
        Action.HOME_PUBLISH: Verb.PUBLISH,
    }[action["action_id"]]
    try:
        with services.db.transaction() as session:
            event = event_for(
                session,
                services.coordinators,
                slug=read_home_button_value(action["value"]),
                user_id=user_id,
                action=f"home:{verb}",
                now=services.clock.now(),
            )
            slug, definition = event.slug, definition_of(event)
            overview = build_overview(session, event) if verb == Verb.LIST else None
        lang = definition.language  # the event is known: its language, as /samordna answers
        if verb == Verb.BROADCAST:
            view = build_broadcast_modal(definition, lang=lang)
            client.views_open(trigger_id=body["trigger_id"], view=view)
        elif overview is not None:
            text = build_overview_text(overview, services.clock.now(), lang)
            client.chat_postMessage(channel=user_id, text=text)
        elif verb == Verb.EXPORT:
            upload_export(client, services, slug=slug, user_id=user_id, lang=lang)
        else:
            text = breakout_reply(services, verb, slug, user_id, lang)
            client.chat_postMessage(channel=user_id, text=text)
            publish_home(client, services, user_id)
    except DomainError as exc:
        client.chat_postMessage(channel=user_id, text=refusal_text(exc, lang))
    except Exception:
        logger.exception("Failed the Home action %s for %s", verb, user_id)
        client.chat_postMessage(channel=user_id, text=t("coord.error", lang))


def register(app: App) -> None:
    app.event("app_home_opened")(handle_app_home_opened)
    for action in (Action.HOME_BROADCAST, Action.HOME_LIST, Action.HOME_EXPORT,
                   Action.HOME_PUBLISH):  # fmt: skip
        app.action(action)(handle_home_button)
