"""The feedback buttons under the thank-you DM: store the score, thank the person in place."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond

from bot.blocks.workshop import build_feedback_thanks
from bot.errors import DomainError
from bot.i18n import normalise_language, t
from bot.ids.schedule import Action
from bot.schedule.feedback import record_feedback
from workers.services import services_of

logger = logging.getLogger(__name__)


def handle_feedback_score(ack: Ack, body: dict, respond: Respond, context: dict) -> None:
    ack()
    services = services_of(context)
    slug, _, score = body["actions"][0]["value"].partition("|")
    lang = normalise_language(body["user"].get("locale"))
    try:
        with services.db.transaction() as session:
            record_feedback(
                session,
                slug=slug,
                user_id=body["user"]["id"],
                score=int(score),
                now=services.clock.now(),
            )
    except (DomainError, ValueError):
        logger.exception("Failed to store feedback for %s", slug)
        return
    thanks = t("sched.feedback.thanks", lang, score=score)
    respond(text=thanks, blocks=build_feedback_thanks(thanks, slug, lang), replace_original=True)


def register(app: App) -> None:
    app.action(re.compile(rf"^{Action.FEEDBACK_SCORE}_\d$"))(handle_feedback_score)
