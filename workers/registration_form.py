"""Opening the registration form for a person: plan from the database, prefill from the Slack
profile, views.open. Shared by /anmal, the event picker's button and the registration card."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.blocks.registration_modal import build_groups_modal, build_registration_modal
from bot.registration.anmal import plan_anmal
from bot.registration.commands import parse_anmal
from bot.registration.plans import OpenForm, Plan, Prefill
from workers.services import Services

logger = logging.getLogger(__name__)


def profile_prefill(client: WebClient, user_id: str) -> Prefill:
    """Name and title from the Slack profile (best effort: on any failure the form opens empty).

    The language is not taken from the profile: Slack has no Swedish interface, so Swedish users
    report an English locale; the event's language (or an explicit `en`/`sv`) decides."""
    try:
        user = client.users_info(user=user_id)["user"]
    except Exception:
        logger.info("users.info failed for %s; opening the form without a prefill", user_id)
        return Prefill()
    profile = user.get("profile", {})
    name = profile.get("real_name") or user.get("real_name") or ""
    return Prefill(name=name, role=profile.get("title", ""), email=profile.get("email") or "")


def open_form(
    services: Services,
    trigger_id: str,
    user_id: str,
    plan: OpenForm,
    *,
    external: bool = False,
) -> None:
    """Open the registration or group-only modal for a plan (also used by the event picker and
    the card). A person of another workspace must give an e-mail: it is how they hear from us
    (their profile is not ours to read: users.info answers user_not_found)."""
    view: View | dict
    if plan.groups_only:
        view = build_groups_modal(
            plan.definition, preferences=plan.prefill.preferences, lang=plan.lang
        )
    else:
        prefill = plan.prefill
        # users.info only when not in a rush (the e-mail is then not known: the form still works),
        # never for a person of another workspace (users.info answers user_not_found)
        if plan.needs_profile and not external and services.inbox.load.quiet():
            prefill = profile_prefill(services.profile_client, user_id)
        if prefill.profile_only:  # empty, or a profile's: the form validated once, filled in
            view = services.forms.get(
                plan.definition, plan.seats_left, plan.lang, email_required=external,
                profile=prefill,
            )  # fmt: skip
        else:
            view = build_registration_modal(
                plan.definition, prefill=prefill, seats_left=plan.seats_left, lang=plan.lang,
                email_required=external,
            )  # fmt: skip
    # the app's client, not Bolt's per-request one: it keeps its connection to Slack open
    services.client.views_open(trigger_id=trigger_id, view=view)


def plan_for(services: Services, text: str, user_id: str) -> Plan:
    """What /anmal TEXT means for this person (read-only)."""
    with services.db.read() as session:  # planning only reads: no write lock on the ack path
        return plan_anmal(
            session,
            parse_anmal(text),
            user_id=user_id,
            default_lang=services.settings.default_language,
            now=services.clock.now(),
        )
