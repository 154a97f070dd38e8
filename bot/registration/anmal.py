"""What /anmal should do for a person, decided from the database (no Slack calls here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.registration_messages import (
    build_cancel_confirm,
    build_erase_confirm,
    build_help,
    build_pick_event,
)
from bot.blocks.registration_modal import Prefill
from bot.errors import DomainError
from bot.events.schema import EventDefinition
from bot.events.service import definition_of, get_event, open_events, upcoming_events
from bot.i18n import normalise_language, t
from bot.registration import messages, service
from bot.registration.commands import AnmalAction, AnmalCommand
from storage.models import Event


@dataclass(frozen=True)
class Reply:
    """Answer privately with this text (and blocks)."""

    text: str
    blocks: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class OpenForm:
    """Open the registration (or group-only) modal."""

    definition: EventDefinition
    prefill: Prefill
    seats_left: int
    lang: str
    groups_only: bool = False
    needs_profile: bool = False  # no stored registration: prefill from the Slack profile


def _refuse(error: DomainError, definition: EventDefinition | None, lang: str) -> Reply:
    return Reply(messages.refusal(error, definition, lang))


def _unknown_event(session: Session, slug: str, lang: str, now: datetime) -> Reply:
    slugs = ", ".join(f"`{e.slug}`" for e in open_events(session, now=now))
    available = (
        t("reg.available_events", lang, slugs=slugs) if slugs else t("reg.no_open_events", lang)
    )
    return Reply(t("reg.unknown_event", lang, slug=slug, available=available))


def _example_slug(session: Session, now: datetime) -> str:
    events = upcoming_events(session, now=now)
    return events[0].slug if events else "partnerskapsdag"


def _lang(command: AnmalCommand, event: Event | None, default: str) -> str:
    if command.lang:
        return command.lang
    return normalise_language(event.language if event else default)


def _form_for(
    session: Session,
    event: Event,
    user_id: str,
    lang: str,
    now: datetime,
    *,
    groups_only: bool,
    explicit: bool,
) -> OpenForm | Reply:
    definition = definition_of(event)
    if now < event.opens_at:
        return _refuse(DomainError("reg.not_open"), definition, lang)
    if now >= event.closes_at:
        return _refuse(DomainError("reg.closed"), definition, lang)
    current = service.get_registration(session, slug=event.slug, user_id=user_id)
    if groups_only and current is None:
        return _refuse(DomainError("reg.not_registered"), definition, lang)
    if current is None:
        prefill = Prefill()
    else:
        lang = lang if explicit else normalise_language(current.locale)
        prefill = Prefill(
            name=current.name,
            organisation=current.organisation,
            role=current.role,
            preferences=current.preferences,
            comment=current.comment,
            consent=True,
            editing=True,
            email=current.email,
        )
    return OpenForm(
        definition=definition,
        prefill=prefill,
        seats_left=service.seats_left(event),
        lang=lang,
        groups_only=groups_only,
        needs_profile=current is None,
    )


def _mine(session: Session, command: AnmalCommand, user_id: str, default: str, now: datetime):
    """The one event a person's command is about: the named one, or their only registration."""
    if command.slug:
        event = get_event(session, command.slug)
        if event is None:
            return _unknown_event(session, command.slug, _lang(command, None, default), now)
        return event
    if command.action == AnmalAction.ERASE:  # also cancelled registrations and past events
        mine = service.stored_registrations(session, user_id=user_id)
    else:
        mine = service.active_registrations(session, user_id=user_id, now=now)
    if len(mine) == 1:
        return mine[0][0]
    lang = _lang(command, None, default)
    if not mine:
        return Reply(t("reg.status.none", lang))
    slugs = ", ".join(f"`{e.slug}`" for e, _ in mine)
    return Reply(t("reg.which_event", lang, slugs=slugs, action=command.text.split()[0]))


def plan_anmal(
    session: Session, command: AnmalCommand, *, user_id: str, default_lang: str, now: datetime
) -> Reply | OpenForm:
    """Decide the answer to one /anmal command."""
    action = command.action
    if action in (AnmalAction.HELP, AnmalAction.UNKNOWN):
        lang = _lang(command, None, default_lang)
        prefix = (
            t("reg.unknown_command", lang, text=command.text)
            if action == AnmalAction.UNKNOWN
            else ""
        )
        return Reply(build_help(lang, example_slug=_example_slug(session, now), prefix=prefix))
    if action == AnmalAction.STATUS and not command.slug:
        mine = service.active_registrations(session, user_id=user_id, now=now)
        lang = _lang(command, mine[0][0] if mine else None, default_lang)
        if not mine:
            return Reply(t("reg.status.none", lang))
        if not command.lang:
            lang = normalise_language(mine[0][1].locale)
        texts = [
            messages.status(definition_of(e), service.snapshot(session, r, e.slug), lang)
            for e, r in mine
        ]
        return Reply("\n\n".join(texts))
    if action == AnmalAction.OPEN:
        if command.slug:
            event = get_event(session, command.slug)
            if event is None:
                return _unknown_event(
                    session, command.slug, _lang(command, None, default_lang), now
                )
        else:
            candidates = open_events(session, now=now)
            my_event_ids = {
                e.id for e, _ in service.active_registrations(session, user_id=user_id, now=now)
            }
            registered_in = [e for e in candidates if e.id in my_event_ids]
            if len(registered_in) == 1:  # /anmal again: edit the registration they have
                candidates = registered_in
            if len(candidates) > 1:
                lang = _lang(command, None, default_lang)
                definitions = [definition_of(e) for e in candidates]
                return Reply(t("reg.pick_event", lang), build_pick_event(definitions, lang))
            upcoming = upcoming_events(session, now=now)
            event = candidates[0] if candidates else (upcoming[0] if len(upcoming) == 1 else None)
            if event is None:
                return Reply(t("reg.no_open_events", _lang(command, None, default_lang)))
        lang = _lang(command, event, default_lang)
        return _form_for(
            session, event, user_id, lang, now, groups_only=False, explicit=bool(command.lang)
        )
    target = _mine(session, command, user_id, default_lang, now)
    if isinstance(target, Reply):
        return target
    event, lang = target, _lang(command, target, default_lang)
    definition = definition_of(event)
    if action == AnmalAction.GROUPS:
        return _form_for(
            session, event, user_id, lang, now, groups_only=True, explicit=bool(command.lang)
        )
    current = service.get_registration(session, slug=event.slug, user_id=user_id)
    if current is not None and not command.lang:
        lang = normalise_language(current.locale)
    if action == AnmalAction.STATUS:
        if current is None:
            return _refuse(DomainError("reg.not_registered"), definition, lang)
        return Reply(messages.status(definition, current, lang))
    if action == AnmalAction.CANCEL:
        if current is None:
            return _refuse(DomainError("reg.not_registered"), definition, lang)
        return Reply(
            t("reg.cancel.confirm", lang, title=definition.title),
            build_cancel_confirm(definition, lang),
        )
    # ERASE: also possible for a cancelled registration (its data is still stored)
    return Reply(
        t("reg.erase.confirm", lang, title=definition.title), build_erase_confirm(definition, lang)
    )
