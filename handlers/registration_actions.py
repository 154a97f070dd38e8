"""Buttons of /anmal: pick an event, confirm or keep a cancellation, confirm an erasure."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.registration_messages import build_answer
from bot.errors import DomainError
from bot.i18n import t
from bot.ids.registration import Action, read_button_value
from bot.intake import flows
from bot.registration import messages
from bot.registration.plans import OpenForm, SendMyData
from workers.registration_form import open_form, plan_for
from workers.services import Services, services_of

logger = logging.getLogger(__name__)


def _slug_lang(body: dict) -> tuple[str, str]:
    return read_button_value(body["actions"][0]["value"])


def handle_pick_event(ack: Ack, body: dict, client: WebClient, respond: Respond, context: dict):
    ack()
    services = services_of(context)
    user_id = body["user"]["id"]
    slug, lang = _slug_lang(body)
    try:
        plan = plan_for(services, f"{slug} {lang}", user_id)
        if isinstance(plan, OpenForm):
            open_form(services, body["trigger_id"], user_id, plan)
        elif not isinstance(plan, SendMyData):  # an event's slug never asks for one's data
            text, blocks = build_answer(plan)
            respond(text=text, blocks=blocks, replace_original=False)
    except Exception:
        logger.exception("Failed to open the form of %s for %s", slug, user_id)
        respond(text=t("reg.error", lang), replace_original=False)


def _title(services: Services, slug: str) -> str:
    definition = services.events.get(slug)
    return definition.title if definition else slug


def _finish(body: dict, respond: Respond, context: dict, *, erase: bool) -> None:
    services = services_of(context)
    slug, lang = _slug_lang(body)
    user_id = body["user"]["id"]
    flow = flows.erase if erase else flows.cancel
    try:
        result = flow(services.db, slug=slug, user_id=user_id, now=services.clock.now())
    except DomainError as exc:
        definition = services.events.get(slug)
        respond(text=messages.refusal(exc, definition, lang), replace_original=True)
        return
    except Exception:
        logger.exception(
            "Failed to %s the registration of %s", "erase" if erase else "cancel", user_id
        )
        respond(text=t("reg.error", lang), replace_original=False)
        return
    key = "reg.erase.done" if erase else "reg.cancel.done"
    respond(text=t(key, lang, title=_title(services, slug), slug=slug), replace_original=True)
    services.deliverer.deliver(result.outbox_ids)


def handle_cancel_yes(ack: Ack, body: dict, respond: Respond, context: dict) -> None:
    ack()
    _finish(body, respond, context, erase=False)


def handle_erase_yes(ack: Ack, body: dict, respond: Respond, context: dict) -> None:
    ack()
    _finish(body, respond, context, erase=True)


def handle_keep(ack: Ack, body: dict, respond: Respond, context: dict) -> None:
    ack()
    slug, lang = _slug_lang(body)
    title = _title(services_of(context), slug)
    respond(text=t("reg.cancel.kept", lang, title=title), replace_original=True)


def register(app: App) -> None:
    app.action(Action.PICK_EVENT)(handle_pick_event)
    app.action(Action.CANCEL_YES)(handle_cancel_yes)
    app.action(Action.ERASE_YES)(handle_erase_yes)
    app.action(Action.CANCEL_NO)(handle_keep)
    app.action(Action.ERASE_NO)(handle_keep)
