"""The coordinators' review of the breakout draft: open it (from the drafted DM or the Home
dashboard), re-draft it in place, publish it. Only the event's coordinators; others are told."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.registration_modal import build_notice_modal
from bot.blocks.review import build_review_modal
from bot.breakouts.review import draft_review
from bot.coordination.breakout_actions import run_breakout_action
from bot.coordination.commands import Verb
from bot.errors import DomainError
from bot.i18n import t
from bot.ids.workshop import Action, Callback, read_event_value
from workers.coordinators import language, refusal_text
from workers.services import Services, services_of

logger = logging.getLogger(__name__)


def _notice(lang: str, text: str) -> dict:
    return build_notice_modal(t("workshop.review.title", lang), text).to_dict()


def _allowed(services: Services, slug: str, user_id: str) -> bool:
    definition = services.events.get(slug)
    return definition is not None and services.coordinators.is_coordinator(definition, user_id)


def _review_view(services: Services, slug: str, user_id: str, lang: str, *,
                 redraft: bool = False) -> dict:  # fmt: skip
    """The review modal (after a re-draft, when asked), or a notice saying why not."""
    if not _allowed(services, slug, user_id):
        logger.warning("%s tried to review the groups of %s", user_id, slug)
        return _notice(lang, t("workshop.review.not_coordinator", lang))
    try:
        if redraft:
            from bot.breakouts import service as breakouts  # the engine: only when needed

            with services.db.transaction() as session:
                breakouts.draft(session, slug=slug, now=services.clock.now())
        with services.db.read() as session:
            review = draft_review(session, slug=slug)
        return build_review_modal(review, lang).to_dict()
    except DomainError as exc:
        return _notice(lang, refusal_text(exc, lang))
    except Exception:
        logger.exception("Failed to show the draft of %s", slug)
        return _notice(lang, t("workshop.review.error", lang))


def handle_open_review(ack: Ack, body: dict, client: WebClient, context: dict) -> None:
    slug = read_event_value(body["actions"][0].get("value") or "")  # before ack: else a 400
    ack()
    services = services_of(context)
    lang = language(services, slug)
    view = _review_view(services, slug, body["user"]["id"], lang)
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except Exception:
        logger.exception("Failed to open the review of %s", slug)


def handle_redraft(ack: Ack, body: dict, client: WebClient, context: dict) -> None:
    slug = read_event_value(body["actions"][0].get("value") or "")  # before ack: else a 400
    ack()
    services = services_of(context)
    lang = language(services, slug)
    view = _review_view(services, slug, body["user"]["id"], lang, redraft=True)
    try:
        client.views_update(view_id=body["view"]["id"], hash=body["view"].get("hash"), view=view)
    except Exception:
        logger.exception("Failed to update the review of %s", slug)


def handle_publish(ack: Ack, body: dict, view: dict, context: dict) -> None:
    services = services_of(context)
    slug = read_event_value(view.get("private_metadata", ""))
    lang, user_id = language(services, slug), body["user"]["id"]
    if not _allowed(services, slug, user_id):
        logger.warning("%s tried to publish the groups of %s", user_id, slug)
        ack(response_action="update", view=_notice(lang, t("workshop.review.not_coordinator",
                                                             lang)))  # fmt: skip
        return
    try:
        with services.db.transaction() as session:
            outcome = run_breakout_action(session, Verb.PUBLISH, slug=slug, by=user_id,
                                          now=services.clock.now())  # fmt: skip
        services.deliverer.deliver(list(outcome.told))  # those whose group changed, once
        text = t("workshop.review.published", lang, version=outcome.version)
    except DomainError as exc:
        text = refusal_text(exc, lang)
    except Exception:
        logger.exception("Failed to publish the groups of %s", slug)
        text = t("workshop.review.error", lang)
    ack(response_action="update", view=_notice(lang, text))


def register(app: App) -> None:
    app.action(Action.REVIEW_OPEN)(handle_open_review)
    app.action(Action.REVIEW_REDRAFT)(handle_redraft)
    app.view(Callback.REVIEW_MODAL)(handle_publish)
