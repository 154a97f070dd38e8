"""The feedback buttons under the thank-you DM: store the score, thank the person in place."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond

from bot.blocks.workshop import build_feedback_thanks
from bot.errors import DomainError
from bot.i18n import normalise_language, t
from bot.ids.schedule import Action, read_feedback_value
from bot.schedule.feedback import record_feedback
from workers.services import services_of

logger = logging.getLogger(__name__)


def handle_feedback_score(ack: Ack, body: dict, respond: Respond, context: dict) -> None:
    # before ack: a value this app did not write is a 400 (BadPayload), nothing stored
    slug, score = read_feedback_value(body["actions"][0].get("value") or "")
    ack()
    services = services_of(context)
    lang = normalise_language(body["user"].get("locale"))
    try:
        with services.db.transaction() as session:
            record_feedback(
                session, slug=slug, user_id=body["user"]["id"], score=score,
                now=services.clock.now(),
            )  # fmt: skip
    except DomainError as refusal:
        logger.info("Feedback for %s refused: %s", slug, refusal.code)
        respond(
            text=t(refusal.code, lang, **refusal.params),
            replace_original=False,
            response_type="ephemeral",
        )
        return
    thanks = t("sched.feedback.thanks", lang, score=score)
    respond(text=thanks, blocks=build_feedback_thanks(thanks, slug, lang), replace_original=True)


def register(app: App) -> None:
    app.action(re.compile(rf"^{Action.FEEDBACK_SCORE}_\d$"))(handle_feedback_score)
