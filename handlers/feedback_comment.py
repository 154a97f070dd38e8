"""The optional free-text answer after the feedback score: a button opens a modal, stored."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.registration_modal import build_notice_modal
from bot.blocks.workshop import build_comment_modal, read_comment
from bot.errors import DomainError
from bot.i18n import normalise_language, t
from bot.ids.workshop import Action, Block, Callback, read_event_value
from bot.schedule.feedback import record_comment
from workers.services import services_of

logger = logging.getLogger(__name__)


def _lang(context: dict, slug: str, body: dict) -> str:
    """The event's language (the question was asked in it); else the person's Slack locale."""
    definition = services_of(context).events.get(slug)
    return definition.language if definition else normalise_language(body["user"].get("locale"))


def handle_add_comment(ack: Ack, body: dict, client: WebClient, context: dict) -> None:
    slug = read_event_value(body["actions"][0].get("value") or "")  # before ack: else a 400
    ack()
    lang = _lang(context, slug, body)
    try:
        client.views_open(trigger_id=body["trigger_id"], view=build_comment_modal(slug, lang))
    except Exception:
        logger.exception("Failed to open the feedback comment of %s", slug)


def handle_comment_submission(ack: Ack, body: dict, view: dict, context: dict) -> None:
    services = services_of(context)
    slug = read_event_value(view.get("private_metadata", ""))
    lang = _lang(context, slug, body)
    comment = read_comment(view.get("state", {}).get("values", {}))
    try:
        with services.db.transaction() as session:
            record_comment(session, slug=slug, user_id=body["user"]["id"], comment=comment,
                           now=services.clock.now())  # fmt: skip
    except DomainError as exc:
        if exc.code == "workshop.feedback.empty":  # the modal stays open, the field marked
            ack(response_action="errors", errors={Block.FEEDBACK_COMMENT: t(exc.code, lang)})
            return
        text = t(exc.code, lang, **exc.params)
    except Exception:
        logger.exception("Failed to store the feedback comment of %s", slug)
        text = t("workshop.feedback.error", lang)
    else:
        text = t("workshop.feedback.thanks", lang)
    notice = build_notice_modal(t("workshop.feedback.title", lang), text).to_dict()
    ack(response_action="update", view=notice)


def register(app: App) -> None:
    app.action(Action.FEEDBACK_COMMENT)(handle_add_comment)
    app.view(Callback.FEEDBACK_COMMENT_MODAL)(handle_comment_submission)
