"""The words of registration messages (confirmation, status, promotion), built from outcomes."""

from __future__ import annotations

from bot.errors import DomainError
from bot.events.meeting import meeting_name
from bot.events.schema import EventDefinition
from bot.events.texts import contact, deadline, group_names, when
from bot.i18n import t
from bot.registration.lookup import Snapshot
from bot.timefmt import format_datetime
from storage.models import RegistrationStatus


def summary(definition: EventDefinition, reg: Snapshot, lang: str) -> str:
    none = t("reg.summary.none", lang)
    return t(
        "reg.summary",
        lang,
        name=reg.name,
        organisation=reg.organisation,
        role=reg.role or none,
        groups=group_names(definition, reg.preferences, lang),
        comment=reg.comment or none,
    )


def confirmation(definition: EventDefinition, reg: Snapshot, *, created: bool, lang: str) -> str:
    """What a person reads after submitting: status, the summary, what happens next."""
    if reg.status == RegistrationStatus.WAITLISTED:
        head = t(
            "reg.confirm.waitlisted", lang, title=definition.title, position=reg.waitlist_position
        )
    elif created:
        head = t(
            "reg.confirm.registered", lang, title=definition.title, when=when(definition, lang)
        )
    else:
        head = t("reg.confirm.updated", lang, title=definition.title)
    if reg.status == RegistrationStatus.WAITLISTED:  # no link is promised to someone waiting
        tail = t("truth.waitlist.commands", lang, slug=definition.slug)
    else:
        tail = t(
            "reg.summary.link", lang, slug=definition.slug, link_note=link_note(definition, lang)
        )
    return f"{head}\n\n{summary(definition, reg, lang)}\n\n{tail}"


def status(definition: EventDefinition, reg: Snapshot, lang: str) -> str:
    if reg.status == RegistrationStatus.WAITLISTED:
        head = t(
            "reg.status.waitlisted", lang, title=definition.title, position=reg.waitlist_position
        )
    else:
        head = t("reg.status.registered", lang, title=definition.title, when=when(definition, lang))
    return f"{head}\n{summary(definition, reg, lang)}"


def link_note(definition: EventDefinition, lang: str) -> str:
    """'Länken till Zoom skickas till dig innan dagen.' (the service named only when known)."""
    return t("truth.link_before_day", lang, service=meeting_name(definition, lang))


def promoted(definition: EventDefinition, lang: str, *, group_key: str | None = None) -> str:
    """A seat freed up: registered now, with the group they were placed in (if published)."""
    text = t(
        "reg.promoted",
        lang,
        title=definition.title,
        when=when(definition, lang),
        link_note=link_note(definition, lang),
    )
    group = definition.group(group_key) if group_key else None
    return text + (" " + t("truth.promoted.group", lang, group=group.name) if group else "")


def cancel_question(definition: EventDefinition, reg: Snapshot, lang: str) -> str:
    """Asked before cancelling: a waitlisted person gives up a place in the queue, not a seat."""
    if reg.status == RegistrationStatus.WAITLISTED:
        return t(
            "truth.cancel.confirm_waitlisted",
            lang,
            title=definition.title,
            position=reg.waitlist_position,
        )
    return t("reg.cancel.confirm", lang, title=definition.title)


def closed_for(definition: EventDefinition, reg: Snapshot | None, lang: str) -> str:
    """Registration has closed: said with the place the person still has, if any."""
    params = dict(
        title=definition.title,
        deadline=deadline(definition, lang),
        contact=contact(definition, lang),
    )
    if reg is None:
        return t("reg.closed", lang, **params)
    if reg.status == RegistrationStatus.WAITLISTED:
        return t("truth.closed.waitlisted", lang, position=reg.waitlist_position, **params)
    return t("truth.closed.registered", lang, **params)


def refusal(error: DomainError, definition: EventDefinition | None, lang: str) -> str:
    """A domain refusal in words, naming the deadline and whom to contact where relevant."""
    params = dict(error.params)
    if definition is not None:
        params.update(
            title=definition.title,
            slug=definition.slug,
            deadline=deadline(definition, lang),
            opens=format_datetime(definition.opens_at, definition.timezone, lang),
            contact=contact(definition, lang),
        )
    params.setdefault("available", "")
    return t(error.code, lang, **params)
