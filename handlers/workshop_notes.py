"""The group notes: the button under each breakout post opens the modal; its submission is stored.
Also the join DM's "Läs mer" about the focus areas.

Only members of the group (the published assignment) may open and save; anyone else sees why,
and nothing is stored.
"""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.registration_modal import build_notice_modal
from bot.blocks.workshop import build_notes_modal, build_read_more_modal, read_notes
from bot.errors import DomainError
from bot.i18n import t
from bot.ids.workshop import Action, Callback, read_event_value, read_group_value
from bot.workshop.notes import check_member, save_notes
from workers.coordinators import language
from workers.services import services_of

logger = logging.getLogger(__name__)


def _lang(context: dict, slug: str) -> str:
    """The event's language; the workspace's default for an event that is gone."""
    return language(services_of(context), slug)


def _notice(lang: str, text: str) -> dict:
    return build_notice_modal(t("workshop.notes.title", lang), text).to_dict()


def handle_open_notes(ack: Ack, body: dict, client: WebClient, context: dict) -> None:
    slug, group_key = read_group_value(body["actions"][0].get("value") or "")  # else a 400
    ack()
    services = services_of(context)
    lang = _lang(context, slug)
    user_id = body["user"]["id"]
    try:
        with services.db.read() as session:
            notes = check_member(session, slug=slug, group_key=group_key, user_id=user_id)
        definition = services.events.get(slug)
        group = definition.group(group_key) if definition else None
        assert definition is not None and group is not None  # check_member found both
        view = build_notes_modal(definition, group, notes, lang).to_dict()
    except DomainError as exc:
        view = _notice(lang, t(exc.code, lang, **exc.params))
    except Exception:
        logger.exception("Failed to open the notes of %s in %s for %s", group_key, slug, user_id)
        view = _notice(lang, t("workshop.notes.error", lang))
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except Exception:
        logger.exception("Failed to open the notes modal for %s", user_id)


def handle_notes_submission(ack: Ack, body: dict, view: dict, context: dict) -> None:
    services = services_of(context)
    slug, group_key = read_group_value(view.get("private_metadata", ""))
    lang = _lang(context, slug)
    answers = read_notes(view.get("state", {}).get("values", {}))
    try:
        with services.db.transaction() as session:
            changed = save_notes(session, slug=slug, group_key=group_key,
                                 user_id=body["user"]["id"], answers=answers,
                                 now=services.clock.now())  # fmt: skip
    except DomainError as exc:
        text = t(exc.code, lang, **exc.params)
    except Exception:
        logger.exception("Failed to save the notes of %s in %s", group_key, slug)
        text = t("workshop.notes.error", lang)
    else:
        key = "workshop.notes.saved" if changed else "workshop.notes.unchanged"
        text = t(key, lang, n=changed)
    ack(response_action="update", view=_notice(lang, text))


def handle_read_more(ack: Ack, body: dict, client: WebClient, context: dict) -> None:
    """The join DM's "Läs mer": the focus areas and groups with their descriptions."""
    slug = read_event_value(body["actions"][0].get("value") or "")  # before ack: else a 400
    ack()
    definition = services_of(context).events.get(slug)
    lang = _lang(context, slug)
    if definition is None:
        view = _notice(lang, t("workshop.unknown_event", lang, slug=slug))
    else:
        view = build_read_more_modal(definition, lang).to_dict()
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except Exception:
        logger.exception("Failed to open the focus areas of %s", slug)


def register(app: App) -> None:
    app.action(Action.READ_MORE)(handle_read_more)
    app.action(Action.OPEN_NOTES)(handle_open_notes)
    app.view(Callback.NOTES_MODAL)(handle_notes_submission)
