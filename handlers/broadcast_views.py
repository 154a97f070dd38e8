"""The broadcast modal: compose -> preview -> confirm; then change, cancel or retry failed."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.coordinator import (
    build_broadcast_modal,
    build_notice,
    build_preview,
    read_broadcast_values,
)
from bot.coordination import audience, broadcast_sending, broadcasts
from bot.errors import DomainError
from bot.events.service import definition_of, get_event
from bot.i18n import t
from bot.ids.coordinator import (
    Action,
    Callback,
    Field,
    read_broadcast_button_value,
    read_broadcast_modal_metadata,
    read_preview_metadata,
)
from bot.timefmt import format_datetime
from workers.coordinators import broadcast_for_coordinator, refusal_text
from workers.services import services_of

logger = logging.getLogger(__name__)

FIELD_OF_ERROR = {
    "coord.err.empty": Field.TEXT,
    "coord.err.too_long": Field.TEXT,
    "coord.err.unstorable": Field.TEXT,
    "coord.err.past": Field.SEND_AT,
    "coord.err.unknown_group": Field.GROUP,
}


def _notice(ack: Ack, lang: str, text: str, *, scheduled_id: int | None = None) -> None:
    ack(response_action="update",
        view=build_notice(t("coord.modal.title", lang), text, lang=lang,
                          scheduled_id=scheduled_id))  # fmt: skip


def handle_broadcast_submission(ack: Ack, body: dict, view: dict, context: dict) -> None:
    """Validate and store a draft, then show the preview (or say what is wrong, inline)."""
    services = services_of(context)
    user_id = body["user"]["id"]
    metadata = read_broadcast_modal_metadata(view.get("private_metadata", ""))
    slug, lang, replaces_id = metadata.slug, metadata.lang, metadata.replaces_id
    text, audiences, send_at = read_broadcast_values(view["state"]["values"])
    try:
        with services.db.transaction() as session:
            event = get_event(session, slug)
            if event is None:
                raise DomainError("coord.unknown_event", slug=slug, slugs="–")
            definition = definition_of(event)
            services.coordinators.require(definition, user_id, action="utskick")
            draft = broadcasts.save_draft(
                session, event=event, author=user_id, text=text, audiences=audiences,
                send_at=send_at, lang=lang, now=services.clock.now(),
                replaces_id=replaces_id,
            )  # fmt: skip
            resolved = audience.resolve(session, event, draft.audiences)
    except DomainError as exc:
        field = FIELD_OF_ERROR.get(exc.code, Field.AUDIENCE)
        if exc.code.startswith("coord.err.") and exc.code != "coord.err.not_scheduled":
            ack(response_action="errors", errors={field: refusal_text(exc, lang)})
        else:
            _notice(ack, lang, refusal_text(exc, lang))
        return
    except Exception:
        logger.exception("Failed to prepare the broadcast preview for %s", user_id)
        _notice(ack, lang, t("coord.error", lang))
        return
    rate = services.broadcasts.settings.rate_per_second
    ack(response_action="update", view=build_preview(
        definition, broadcast_id=draft.id, text=draft.text, audiences=draft.audiences,
        count=resolved.count, group_source=resolved.group_source, send_at=draft.send_at,
        rate=rate, replaces=replaces_id is not None, lang=lang,
    ))  # fmt: skip


def handle_preview_submission(ack: Ack, body: dict, view: dict, context: dict) -> None:
    """Confirmed: schedule it, or ack and start sending in the background."""
    services = services_of(context)
    user_id = body["user"]["id"]
    broadcast_id, lang = read_preview_metadata(view.get("private_metadata", ""))
    try:
        with services.db.transaction() as session:
            _event, definition = broadcast_for_coordinator(
                services, session, broadcast_id, user_id, action="utskick"
            )
            broadcast = broadcasts.confirm(
                session, broadcast_id, by=user_id, now=services.clock.now()
            )
            send_at = broadcast.send_at
    except DomainError as exc:
        _notice(ack, lang, refusal_text(exc, lang))
        return
    except Exception:
        logger.exception("Failed to confirm broadcast %s for %s", broadcast_id, user_id)
        _notice(ack, lang, t("coord.error", lang))
        return
    if send_at is None or send_at <= services.clock.now():
        _notice(ack, lang, t("coord.sending", lang))
        services.broadcasts.submit(broadcast_id)
        return
    when = format_datetime(send_at, definition.timezone, lang)
    _notice(ack, lang, t("coord.scheduled", lang, title=definition.title, when=when),
            scheduled_id=broadcast_id)  # fmt: skip


def _tell(client: WebClient, body: dict, text: str, respond, lang: str = "sv") -> None:  # noqa: ANN001
    """Answer a button: replace the modal it sits in, else a private reply."""
    view = body.get("view")
    if view and view.get("type") == "modal":
        notice = build_notice(t("coord.modal.title", lang), text, lang=lang)
        client.views_update(view_id=view["id"], view=notice)
    elif body.get("response_url"):
        respond(text=text, replace_original=False, response_type="ephemeral")
    else:
        client.chat_postMessage(channel=body["user"]["id"], text=text)


def _button(body: dict) -> tuple[int, str]:
    return read_broadcast_button_value(body["actions"][0]["value"]), body["user"]["id"]


def handle_retry_failed(ack: Ack, body: dict, client: WebClient, context: dict, respond) -> None:  # noqa: ANN001
    _retry(ack, body, client, context, respond, include_unknown=False)


def handle_retry_unknown(ack: Ack, body: dict, client: WebClient, context: dict, respond) -> None:  # noqa: ANN001
    """The explicit second button: also those whose message may already have arrived."""
    _retry(ack, body, client, context, respond, include_unknown=True)


def _retry(ack: Ack, body: dict, client: WebClient, context: dict, respond,  # noqa: ANN001
           *, include_unknown: bool) -> None:  # fmt: skip
    services, (broadcast_id, user_id) = services_of(context), _button(body)
    ack()
    lang: str = services.settings.default_language  # until the broadcast's event is known
    try:
        with services.db.transaction() as session:
            _event, definition = broadcast_for_coordinator(
                services, session, broadcast_id, user_id, action="retry"
            )
            lang = definition.language  # the broadcast's event is known: its language
            count = broadcast_sending.retry_failed(
                session, broadcast_id, now=services.clock.now(), include_unknown=include_unknown
            )
    except DomainError as exc:
        _tell(client, body, refusal_text(exc, lang), respond, lang)
        return
    if not count:
        _tell(client, body, t("coord.nothing_to_retry", lang), respond, lang)
        return
    _tell(client, body, t("coord.retrying", lang, n=count), respond, lang)
    services.broadcasts.submit(broadcast_id)


def handle_cancel_scheduled(
    ack: Ack, body: dict, client: WebClient, context: dict, respond
) -> None:  # noqa: ANN001
    services, (broadcast_id, user_id) = services_of(context), _button(body)
    ack()
    lang: str = services.settings.default_language  # until the broadcast's event is known
    try:
        with services.db.transaction() as session:
            event, definition = broadcast_for_coordinator(
                services, session, broadcast_id, user_id, action="cancel"
            )
            lang = definition.language
            broadcasts.cancel(session, broadcast_id, event_id=event.id, now=services.clock.now())
    except DomainError as exc:
        _tell(client, body, refusal_text(exc, lang), respond, lang)
        return
    _tell(client, body, t("coord.cancelled", lang), respond, lang)


def handle_change_scheduled(
    ack: Ack, body: dict, client: WebClient, context: dict, respond
) -> None:  # noqa: ANN001
    """Open the compose modal filled with the scheduled broadcast; confirming replaces it."""
    services, (broadcast_id, user_id) = services_of(context), _button(body)
    ack()
    lang: str = services.settings.default_language  # until the broadcast's event is known
    try:
        with services.db.transaction() as session:
            event, definition = broadcast_for_coordinator(
                services, session, broadcast_id, user_id, action="change"
            )
            lang = definition.language
            old = broadcasts.scheduled(session, broadcast_id, event_id=event.id)
            modal = build_broadcast_modal(
                definition, lang=old.lang, text=old.text, audiences=list(old.audiences),
                send_at=old.send_at, replaces_id=old.id,
            )  # fmt: skip
    except DomainError as exc:
        _tell(client, body, refusal_text(exc, lang), respond, lang)
        return
    view = body.get("view")
    if view and view.get("type") == "modal":
        client.views_update(view_id=view["id"], view=modal)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=modal)


def register(app: App) -> None:
    app.view(Callback.BROADCAST_MODAL)(handle_broadcast_submission)
    app.view(Callback.BROADCAST_PREVIEW)(handle_preview_submission)
    app.action(Action.RETRY_FAILED)(handle_retry_failed)
    app.action(Action.RETRY_UNKNOWN)(handle_retry_unknown)
    app.action(Action.CANCEL_SCHEDULED)(handle_cancel_scheduled)
    app.action(Action.CHANGE_SCHEDULED)(handle_change_scheduled)
