"""/anmal: ack at once, decide in the domain, answer privately or open the form."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.registration_messages import build_answer
from bot.i18n import t
from bot.intake import flows
from bot.registration.plans import OpenForm, SendMyData
from workers.registration_form import open_form, plan_for
from workers.services import services_of

logger = logging.getLogger(__name__)


def handle_anmal(ack: Ack, command: dict, client: WebClient, context: dict) -> None:
    """/anmal [SLUG | grupp | status | avanmal | radera | hjalp] [sv|en]."""
    services = services_of(context)
    user_id = command["user_id"]
    try:
        plan = plan_for(services, command.get("text", ""), user_id)
    except Exception:
        logger.exception("Failed to plan /anmal for %s", user_id)
        ack(text=t("reg.error", services.settings.default_language))
        return
    if isinstance(plan, SendMyData):
        try:
            reply, ids = flows.record_my_data(services.db, user_id=user_id, lang=plan.lang,
                                              key=plan.key, now=services.clock.now())  # fmt: skip
        except Exception:
            logger.exception("Failed to record the stored-data DM for %s", user_id)
            ack(text=t("reg.error", plan.lang))
            return
        ack(text=reply)
        services.deliverer.deliver(ids)
        return
    if not isinstance(plan, OpenForm):
        text, blocks = build_answer(plan)
        ack(text=text, blocks=blocks)
        return
    ack()
    try:
        open_form(services, command["trigger_id"], user_id, plan)
    except Exception:
        logger.exception("Failed to open the registration form for %s", user_id)
        client.chat_postEphemeral(
            channel=command["channel_id"], user=user_id, text=t("reg.error", plan.lang)
        )


def register(app: App) -> None:
    app.command("/anmal")(handle_anmal)
