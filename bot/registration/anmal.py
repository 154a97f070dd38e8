"""What /anmal should do for a person, decided from the database (no Slack calls here)."""

from __future__ import annotations

import difflib
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from bot.errors import DomainError
from bot.events.schema import EventDefinition
from bot.events.service import (
    definition_by_version,
    definition_of,
    get_event,
    open_events,
    upcoming_events,
)
from bot.events.vocabulary import ACTION_WORDS
from bot.i18n import normalise_language, t
from bot.registration import lookup, messages
from bot.registration.commands import AnmalAction, AnmalCommand
from bot.registration.plans import (
    ConfirmChange,
    Help,
    OpenForm,
    PickEvent,
    Plan,
    Prefill,
    Reply,
    SendMyData,
)
from storage.models import Event, Registration


def _refuse(error: DomainError, definition: EventDefinition | None, lang: str) -> Reply:
    return Reply(messages.refusal(error, definition, lang))


def _did_you_mean(session: Session, word: str, lang: str, now: datetime) -> str:
    """'Menade du `/anmal status`?' for a near command word or event slug, else nothing."""
    commands = sorted(w for words in ACTION_WORDS.values() for w in words if w.isascii())
    slugs = [e.slug for e in upcoming_events(session, now=now)]
    near = difflib.get_close_matches(word.lower(), commands + slugs, n=1, cutoff=0.7)
    return " " + t("truth.did_you_mean", lang, suggestion=near[0]) if near else ""


def _unknown_event(session: Session, slug: str, lang: str, now: datetime) -> Reply:
    slugs = ", ".join(f"`{e.slug}`" for e in open_events(session, now=now))
    available = (
        t("reg.available_events", lang, slugs=slugs) if slugs else t("reg.no_open_events", lang)
    )
    text = t("reg.unknown_event", lang, slug=slug, available=available)
    text += _did_you_mean(session, slug, lang, now) + "\n" + t("truth.help_line", lang)
    return Reply(text)


def _example_slug(session: Session, now: datetime) -> str:
    events = upcoming_events(session, now=now, with_definition=False)
    return events[0].slug if events else "partnerskapsdag"


def _lang(command: AnmalCommand, event: Event | Row[Any] | None, default: str) -> str:
    if command.lang:
        return command.lang
    return normalise_language(event.language if event else default)


def _form_for(
    session: Session,
    event: Event | Row[Any],
    user_id: str,
    lang: str,
    now: datetime,
    *,
    groups_only: bool,
    explicit: bool,
    known: tuple[lookup.Snapshot | None] | None = None,
    definition: EventDefinition | None = None,
) -> OpenForm | Reply:
    """`known`: the person's active registration for the event, when the caller read it;
    `event`: an Event, or a row of its columns with `definition` given."""
    if definition is None:
        if not isinstance(event, Event):
            raise TypeError("an event read as columns needs its definition given")
        definition = definition_of(event)
    if now < event.opens_at:
        return _refuse(DomainError("reg.not_open"), definition, lang)
    current = known[0] if known is not None else lookup.registration_in(session, event, user_id)
    if now >= event.closes_at:
        if current is not None and not explicit:
            lang = normalise_language(current.locale)
        return Reply(messages.closed_for(definition, current, lang))
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
        seats_left=lookup.seats_left(event),
        lang=lang,
        groups_only=groups_only,
        needs_profile=current is None,
    )


def _mine(session: Session, command: AnmalCommand, user_id: str, default: str, now: datetime):
    """The one event a person's command is about: the named one, or their only registration."""
    if command.slug:
        event = get_event(session, command.slug, with_definition=False)
        if event is None:
            return _unknown_event(session, command.slug, _lang(command, None, default), now)
        return event
    if command.action == AnmalAction.ERASE:  # also cancelled registrations and past events
        mine = lookup.stored_registrations(session, user_id=user_id)
    else:
        mine = lookup.active_registrations(session, user_id=user_id, now=now, with_definition=False)
    if len(mine) == 1:
        return mine[0][0]
    lang = _lang(command, None, default)
    if not mine:
        return Reply(t("reg.status.none", lang))
    slugs = ", ".join(f"`{e.slug}`" for e, _ in mine)
    return Reply(t("reg.which_event", lang, slugs=slugs, action=command.text.split()[0]))


def _open_any(
    session: Session, command: AnmalCommand, *, user_id: str, default_lang: str, now: datetime
) -> Plan:
    """/anmal without an event: the one open event (or the one they are registered in), from
    one query of plain columns; the definitions come from the per-version cache."""
    rows = lookup.upcoming_with_registration(session, user_id=user_id, now=now)
    candidates = sorted(
        (e for e in rows if e.opens_at <= now < e.closes_at), key=lambda e: e.closes_at
    )
    registered_in = [e for e in candidates if e.registration_id is not None]
    if len(registered_in) == 1:  # /anmal again: edit the registration they have
        candidates = registered_in
    if len(candidates) > 1:
        definitions = [
            definition_by_version(session, e.id, e.version, e.updated_at) for e in candidates
        ]
        return PickEvent(definitions, _lang(command, None, default_lang))
    event = candidates[0] if candidates else (rows[0] if len(rows) == 1 else None)
    if event is None:
        return Reply(t("reg.no_open_events", _lang(command, None, default_lang)))
    reg = session.get(Registration, event.registration_id) if event.registration_id else None
    # their active registration is read already: no second look
    known = (lookup.snapshot(session, reg, event.slug) if reg else None,)
    definition = definition_by_version(session, event.id, event.version, event.updated_at)
    return _open_form(session, command, event, user_id, default_lang, now, known, definition)


def _open_form(
    session: Session,
    command: AnmalCommand,
    event: Event | Row[Any],
    user_id: str,
    default_lang: str,
    now: datetime,
    known: tuple[lookup.Snapshot | None] | None = None,
    definition: EventDefinition | None = None,
) -> OpenForm | Reply:
    """/anmal [SLUG]: the registration form for this event (see _form_for)."""
    lang = _lang(command, event, default_lang)
    return _form_for(session, event, user_id, lang, now, groups_only=False,
                     explicit=bool(command.lang), known=known, definition=definition)  # fmt: skip


def plan_anmal(
    session: Session, command: AnmalCommand, *, user_id: str, default_lang: str, now: datetime
) -> Plan:
    """Decide the answer to one /anmal command (the caller words it and opens any form)."""
    action = command.action
    if action == AnmalAction.MYDATA:
        lang = _lang(command, None, default_lang)
        return SendMyData(lang, key=f"mydata:{user_id}:{now.isoformat()}")
    if action in (AnmalAction.HELP, AnmalAction.UNKNOWN):
        lang = _lang(command, None, default_lang)
        prefix = ""
        if action == AnmalAction.UNKNOWN:
            first = (command.text.split() or [""])[0]
            prefix = t("reg.unknown_command", lang, text=command.text)
            prefix += _did_you_mean(session, first, lang, now)
        return Help(lang, example_slug=_example_slug(session, now), prefix=prefix)
    if action == AnmalAction.STATUS and not command.slug:
        mine = lookup.active_registrations(session, user_id=user_id, now=now, with_definition=False)
        lang = _lang(command, mine[0][0] if mine else None, default_lang)
        if not mine:
            return Reply(t("reg.status.none", lang))
        if not command.lang:
            lang = normalise_language(mine[0][1].locale)
        texts = [
            messages.status(definition_of(e), lookup.snapshot(session, r, e.slug), lang)
            for e, r in mine
        ]
        return Reply("\n\n".join(texts))
    if action == AnmalAction.OPEN:
        if not command.slug:
            return _open_any(session, command, user_id=user_id, default_lang=default_lang, now=now)
        # the definition comes from the per-version cache: its column is read only on a miss
        event = get_event(session, command.slug, with_definition=False)
        if event is None:
            return _unknown_event(session, command.slug, _lang(command, None, default_lang), now)
        return _open_form(session, command, event, user_id, default_lang, now)
    target = _mine(session, command, user_id, default_lang, now)
    if isinstance(target, Reply):
        return target
    event, lang = target, _lang(command, target, default_lang)
    definition = definition_of(event)
    if action == AnmalAction.GROUPS:
        return _form_for(
            session, event, user_id, lang, now, groups_only=True, explicit=bool(command.lang)
        )
    current = lookup.registration_in(session, event, user_id)
    if current is not None and not command.lang:
        lang = normalise_language(current.locale)
    if action == AnmalAction.STATUS:
        if current is None:
            return _refuse(DomainError("reg.not_registered"), definition, lang)
        return Reply(messages.status(definition, current, lang))
    if action == AnmalAction.CANCEL:
        if current is None:
            return _refuse(DomainError("reg.not_registered"), definition, lang)
        question = messages.cancel_question(definition, current, lang)
        return ConfirmChange(definition, lang, question=question)
    # ERASE: also possible for a cancelled registration (its data is still stored)
    return ConfirmChange(definition, lang, erase=True)
