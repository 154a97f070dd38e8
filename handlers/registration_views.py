"""Submissions of the registration and group modals: validate, store, confirm."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App

from bot.blocks.registration_modal import (
    build_notice_modal,
    read_metadata,
    read_values,
)
from bot.errors import DomainError
from bot.events.schema import EventDefinition
from bot.events.service import definition_of, get_event
from bot.i18n import t
from bot.ids.registration import Callback
from bot.registration import flows, messages
from bot.registration.form import CHOICE_FIELDS, FormErrors, check_preferences, validate_form
from handlers.services import Services, services_of

logger = logging.getLogger(__name__)


def _errors(exc: FormErrors, lang: str) -> dict[str, str]:
    return {str(field): t(code, lang, **params) for field, (code, params) in exc.errors.items()}


def _notice(ack: Ack, lang: str, text: str) -> None:
    ack(response_action="update", view=build_notice_modal(t("reg.modal.title", lang), text))


def _definition_or_notice(
    services: Services, ack: Ack, slug: str, lang: str
) -> EventDefinition | None:
    """The event behind a submitted modal; if it is gone, say so in the modal."""
    with services.db.transaction() as session:
        event = get_event(session, slug)
        if event is not None:
            return definition_of(event)
    _notice(ack, lang, messages.refusal(DomainError("reg.unknown_event", slug=slug), None, lang))
    return None


def handle_registration_submission(ack: Ack, body: dict, view: dict, context: dict) -> None:
    services = services_of(context)
    slug, lang = read_metadata(view.get("private_metadata", ""))
    user_id = body["user"]["id"]
    definition = _definition_or_notice(services, ack, slug, lang)
    if definition is None:
        return
    try:
        form = validate_form(read_values(view["state"]["values"]), definition)
        result = flows.register(
            services.db,
            slug=slug,
            user_id=user_id,
            form=form,
            locale=lang,
            now=services.clock.now(),
        )
    except FormErrors as exc:
        ack(response_action="errors", errors=_errors(exc, lang))
        return
    except DomainError as exc:
        _notice(ack, lang, messages.refusal(exc, definition, lang))
        return
    except Exception:  # the transaction rolled back: nothing half-stored
        logger.exception("Failed to store the registration of %s for %s", user_id, slug)
        _notice(ack, lang, t("reg.error", lang))
        return
    outcome = result.outcome
    _notice(
        ack,
        lang,
        messages.confirmation(definition, outcome.registration, created=outcome.created, lang=lang),
    )
    services.deliverer.deliver(result.outbox_ids)


def handle_groups_submission(ack: Ack, body: dict, view: dict, context: dict) -> None:
    services = services_of(context)
    slug, lang = read_metadata(view.get("private_metadata", ""))
    user_id = body["user"]["id"]
    definition = _definition_or_notice(services, ack, slug, lang)
    if definition is None:
        return
    values = read_values(view["state"]["values"])
    preferences, errors = check_preferences([values.get(f) for f in CHOICE_FIELDS], definition)  # type: ignore[misc]
    if errors:
        ack(response_action="errors", errors=_errors(FormErrors(errors), lang))
        return
    try:
        result = flows.change_groups(
            services.db,
            slug=slug,
            user_id=user_id,
            preferences=preferences,
            lang=lang,
            now=services.clock.now(),
        )
    except DomainError as exc:
        _notice(ack, lang, messages.refusal(exc, definition, lang))
        return
    except Exception:
        logger.exception("Failed to change the groups of %s for %s", user_id, slug)
        _notice(ack, lang, t("reg.error", lang))
        return
    text = messages.confirmation(definition, result.outcome.registration, created=False, lang=lang)
    _notice(ack, lang, text)
    services.deliverer.deliver(result.outbox_ids)


def register(app: App) -> None:
    app.view(Callback.REGISTRATION_MODAL)(handle_registration_submission)
    app.view(Callback.GROUPS_MODAL)(handle_groups_submission)
