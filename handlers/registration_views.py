"""Submissions of the registration and group modals: validate, record, ack; the inbox worker
stores the registration and confirms (workers/inbox.py).

The acknowledgement path reads nothing but a cached event definition and writes one row, so
Slack gets its answer fast even in a deadline rush, and a recorded submission is never lost.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from slack_bolt import Ack, App

from bot.blocks.registration_modal import build_notice_modal, read_values
from bot.errors import DomainError
from bot.events.schema import EventDefinition
from bot.i18n import t
from bot.ids.registration import Callback, read_modal_email, read_modal_metadata
from bot.intake import inbox
from bot.registration import messages
from bot.registration.form import CHOICE_FIELDS, FormErrors, check_preferences, validate_form
from workers.services import Services, services_of
from workers.team import is_external, team_of

logger = logging.getLogger(__name__)


def _errors(exc: FormErrors, lang: str) -> dict[str, str]:
    return {str(field): t(code, lang, **params) for field, (code, params) in exc.errors.items()}


def _notice(ack: Ack, lang: str, text: str) -> None:
    ack(response_action="update", view=build_notice_modal(t("reg.modal.title", lang), text))


@lru_cache(maxsize=256)
def _received_view(title: str, lang: str) -> dict:
    """The "we are receiving it" modal: the same for everyone, built (and validated) once."""
    return build_notice_modal(
        t("reg.modal.title", lang), t("reg.received", lang, title=title)
    ).to_dict()


def _refusal(
    services: Services, definition: EventDefinition | None, slug: str
) -> DomainError | None:
    """Refuse at once what is certainly refused: an unknown event, outside the window."""
    if definition is None:
        return DomainError("reg.unknown_event", slug=slug)
    now = services.clock.now()
    if now < definition.opens_at:
        return DomainError("reg.not_open")
    if now >= definition.closes_at:
        return DomainError("reg.closed")
    return None


def _with_email(values: dict, view: dict, kind: str) -> dict:
    """The form's values, with the profile e-mail the modal carries (a new registration only)."""
    email = read_modal_email(view.get("private_metadata", "")) if kind == inbox.REGISTER else None
    return {**values, inbox.EMAIL_KEY: email} if email else values


def _accept(ack: Ack, body: dict, view: dict, context: dict, *, kind: str) -> None:
    services = services_of(context)
    slug, lang = read_modal_metadata(view.get("private_metadata", ""))
    user_id = body["user"]["id"]
    definition = services.events.get(slug)
    refusal = _refusal(services, definition, slug)
    if refusal is not None:
        _notice(ack, lang, messages.refusal(refusal, definition, lang))
        return
    assert definition is not None
    external = is_external(services, body)  # of a partner workspace (Slack Connect)
    if external and not services.settings.mail_enabled:  # we could never tell them anything
        _notice(ack, lang, t("around.card.external_refused", lang, title=definition.title))
        return
    values = read_values(view["state"]["values"])
    try:
        if kind == inbox.GROUPS:
            _, errors = check_preferences([values.get(f) for f in CHOICE_FIELDS], definition)  # type: ignore[misc]
            if errors:
                raise FormErrors(errors)
        else:
            validate_form(values, definition, email_required=external)
        recorded: dict[str, object] = {str(k): v for k, v in values.items()}
        if external:
            recorded[inbox.TEAM_KEY] = team_of(body)
        row = inbox.row_of(
            kind=kind,
            slug=slug,
            user_id=user_id,
            values=_with_email(recorded, view, kind),
            lang=lang,
            view_id=view.get("id"),
            now=services.clock.now(),
        )
        # no ORM session; committed with the rows of others arriving meanwhile (one executemany)
        services.db.insert_grouped(inbox.INSERT, row)
    except FormErrors as exc:
        ack(response_action="errors", errors=_errors(exc, lang))
        return
    except Exception:
        logger.exception("Failed to record the submission of %s for %s", user_id, slug)
        _notice(ack, lang, t("reg.error", lang))
        return
    ack(response_action="update", view=_received_view(definition.title, lang))
    services.inbox.kick()


def handle_registration_submission(ack: Ack, body: dict, view: dict, context: dict) -> None:
    _accept(ack, body, view, context, kind=inbox.REGISTER)


def handle_groups_submission(ack: Ack, body: dict, view: dict, context: dict) -> None:
    _accept(ack, body, view, context, kind=inbox.GROUPS)


def register(app: App) -> None:
    app.view(Callback.REGISTRATION_MODAL)(handle_registration_submission)
    app.view(Callback.GROUPS_MODAL)(handle_groups_submission)
