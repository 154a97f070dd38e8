"""/anmal: ack at once, decide in the domain, answer privately or open the form."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.registration_modal import Prefill, build_groups_modal, build_registration_modal
from bot.i18n import normalise_language, t
from bot.registration.anmal import OpenForm, Reply, plan_anmal
from bot.registration.commands import parse_anmal
from handlers.services import Services, services_of

logger = logging.getLogger(__name__)
PROFILE_TIMEOUT_S = 1.0  # the trigger_id lives ~3 s: never let the profile look-up eat it


def _profile_prefill(client: WebClient, user_id: str, prefill: Prefill) -> tuple[Prefill, str]:
    """Name and title from the Slack profile (best effort), and the person's locale."""
    try:
        user = client.users_info(user=user_id, include_locale=True, timeout=PROFILE_TIMEOUT_S)
    except Exception:  # the form still opens, just empty
        logger.info("users.info failed for %s; opening the form without a prefill", user_id)
        return prefill, ""
    profile = user["user"].get("profile", {})
    name = profile.get("real_name") or user["user"].get("real_name") or ""
    return Prefill(name=name, role=profile.get("title", "")), user["user"].get("locale", "")


def open_form(client: WebClient, trigger_id: str, user_id: str, plan: OpenForm) -> None:
    """Open the registration or group-only modal for a plan (also used by the event picker)."""
    if plan.groups_only:
        view = build_groups_modal(
            plan.definition, preferences=plan.prefill.preferences, lang=plan.lang
        )
    else:
        prefill, lang = plan.prefill, plan.lang
        if plan.needs_profile:
            prefill, locale = _profile_prefill(client, user_id, prefill)
            if locale and not plan.lang_explicit:
                lang = normalise_language(locale)
        view = build_registration_modal(
            plan.definition, prefill=prefill, seats_left=plan.seats_left, lang=lang
        )
    client.views_open(trigger_id=trigger_id, view=view)


def plan_for(services: Services, text: str, user_id: str) -> Reply | OpenForm:
    with services.db.transaction() as session:
        return plan_anmal(
            session,
            parse_anmal(text),
            user_id=user_id,
            default_lang=services.settings.default_language,
            now=services.clock.now(),
        )


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
    if isinstance(plan, Reply):
        ack(text=plan.text, blocks=plan.blocks)
        return
    ack()
    try:
        open_form(client, command["trigger_id"], user_id, plan)
    except Exception:
        logger.exception("Failed to open the registration form for %s", user_id)
        client.chat_postEphemeral(
            channel=command["channel_id"], user=user_id, text=t("reg.error", plan.lang)
        )


def register(app: App) -> None:
    app.command("/anmal")(handle_anmal)
