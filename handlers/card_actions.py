"""The registration card's buttons: the same form and rules as /anmal, also for a person of
another organisation in a Slack Connect channel (their payload's user.team_id is not ours)."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.registration_messages import build_answer
from bot.i18n import t
from bot.ids.around import CardAction
from bot.ids.registration import read_button_value
from bot.registration.plans import OpenForm, SendMyData
from workers.registration_form import open_form, plan_for
from workers.services import services_of
from workers.team import is_external

logger = logging.getLogger(__name__)


def _press(ack: Ack, body: dict, client: WebClient, respond: Respond, context: dict,
           *, text: str) -> None:  # fmt: skip
    ack()
    services = services_of(context)
    user_id = body["user"]["id"]
    slug, lang = read_button_value(body["actions"][0]["value"])
    external = is_external(services, body)
    if external and not services.settings.mail_enabled:
        definition = services.events.get(slug)
        title = definition.title if definition else slug
        respond(text=t("around.card.external_refused", lang, title=title),
                replace_original=False, response_type="ephemeral")  # fmt: skip
        return
    try:
        plan = plan_for(services, text.format(slug=slug, lang=lang), user_id)
        if isinstance(plan, OpenForm):
            open_form(services, body["trigger_id"], user_id, plan, external=external)
        elif not isinstance(plan, SendMyData):  # the card's texts never ask for one's data
            text, blocks = build_answer(plan)
            respond(text=text, blocks=blocks, replace_original=False,
                    response_type="ephemeral")  # fmt: skip
    except Exception:
        logger.exception("Failed to answer the card of %s for %s", slug, user_id)
        respond(text=t("reg.error", lang), replace_original=False, response_type="ephemeral")


def handle_card_register(ack: Ack, body: dict, client: WebClient, respond: Respond,
                         context: dict) -> None:  # fmt: skip
    _press(ack, body, client, respond, context, text="{slug} {lang}")


def handle_card_edit(ack: Ack, body: dict, client: WebClient, respond: Respond,
                     context: dict) -> None:  # fmt: skip
    _press(ack, body, client, respond, context, text="grupp {slug} {lang}")


def handle_card_cancel(ack: Ack, body: dict, client: WebClient, respond: Respond,
                       context: dict) -> None:  # fmt: skip
    _press(ack, body, client, respond, context, text="avanmal {slug} {lang}")


def register(app: App) -> None:
    app.action(CardAction.REGISTER)(handle_card_register)
    app.action(CardAction.EDIT)(handle_card_edit)
    app.action(CardAction.CANCEL)(handle_card_cancel)
