"""The .ics file of one person's invitation (RFC 5545 with iTIP methods, RFC 5546); pure.

Outlook and Google Calendar import a VEVENT with UID, DTSTAMP, DTSTART/DTEND with a TZID whose
VTIMEZONE is in the file, SEQUENCE and a METHOD. REQUEST needs an ORGANIZER (RFC 5546 3.2.2), so
without a contact e-mail the invitation is published (METHOD:PUBLISH) instead; an update keeps
the UID and raises SEQUENCE; a cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from bot.events.per_version import PerVersion
from bot.events.schema import AgendaItem, EventDefinition
from bot.i18n import t
from bot.timefmt import format_time

PRODID = "-//Partnerskapsdag-boten//workshopbot//SV"
UID_DOMAIN = "workshopbot.partnerskapsdag"


class Method(StrEnum):
    REQUEST = "REQUEST"
    PUBLISH = "PUBLISH"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Invitation:
    """What one file says: for whom, which version, invite or cancel."""

    uid: str
    sequence: int
    cancel: bool
    attendee_email: str = ""
    attendee_name: str = ""


@lru_cache(maxsize=16)
def _vtimezone(tzid: str, year: int) -> bytes:
    """The zone's rules around the day only (a short VTIMEZONE), serialised once per zone and
    year: it is most of a file's lines, and the same in every person's file."""
    zone = Timezone.from_tzid(tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    return zone.to_ical()


def uid_for(slug: str, user_id: str) -> str:
    """One UID per person and event: their calendar keeps one entry through every update."""
    return f"{slug}.{user_id.lower()}@{UID_DOMAIN}"


def method_of(definition: EventDefinition, invitation: Invitation) -> Method:
    if invitation.cancel:
        return Method.CANCEL
    has_organizer = bool(definition.contact and definition.contact.email)
    return Method.REQUEST if has_organizer else Method.PUBLISH


def _program(items: list[AgendaItem], depth: int = 0) -> list[str]:
    lines = []
    for item in items:
        lines.append(
            f"{'  ' * depth}{format_time(item.start)}–{format_time(item.end)} {item.title}"
        )
        lines += _program(item.parts, depth + 1)
    return lines


def description(definition: EventDefinition, lang: str) -> str:
    """The body of the calendar entry: link, contact person and the program."""
    parts = []
    if definition.description:
        parts.append(definition.description.strip())
    if definition.join_url:
        parts.append(t("around.ics.description_link", lang, url=definition.join_url))
    if definition.contact:
        reach = ", ".join(x for x in (definition.contact.email, definition.contact.phone) if x)
        who = f"{definition.contact.name} ({reach})" if reach else definition.contact.name
        parts.append(t("around.ics.description_contact", lang, contact=who))
    if definition.agenda:
        program = "\n".join(_program(definition.agenda))
        parts.append(t("around.ics.description_program", lang) + "\n" + program)
    return "\n\n".join(parts)


def build_ics(
    definition: EventDefinition, invitation: Invitation, *, now: datetime, lang: str
) -> bytes:
    """The invitation (or its cancellation) as an .ics file."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    method = method_of(definition, invitation)
    calendar.add("method", method.value)
    entry = Event()
    entry.add("uid", invitation.uid)
    entry.add("dtstamp", now.astimezone(UTC))
    entry.add("sequence", invitation.sequence)
    entry.add("summary", definition.title)
    entry.add("dtstart", definition.starts_at)
    entry.add("dtend", definition.ends_at)
    location = definition.join_url or definition.location
    if location:
        entry.add("location", location)
    if definition.join_url:
        entry.add("url", definition.join_url)
    entry.add("status", "CANCELLED" if invitation.cancel else "CONFIRMED")
    entry.add("transp", "OPAQUE")
    if definition.contact and definition.contact.email:
        organizer = vCalAddress(f"mailto:{definition.contact.email}")
        organizer.params["cn"] = vText(definition.contact.name)
        entry.add("organizer", organizer)
    if invitation.attendee_email:
        attendee = vCalAddress(f"mailto:{invitation.attendee_email}")
        if invitation.attendee_name:
            attendee.params["cn"] = vText(invitation.attendee_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        entry.add("attendee", attendee)
    calendar.add_component(entry)
    # the VTIMEZONE goes before the VEVENT that uses it, the DESCRIPTION first in it (each
    # serialised once, see _vtimezone and _description_line)
    head, begin, rest = calendar.to_ical().partition(b"BEGIN:VEVENT\r\n")
    return (
        head
        + _vtimezone(definition.timezone, definition.date.year)
        + begin
        + _description_line(definition, lang)
        + rest
    )


_DESCRIPTIONS: PerVersion[bytes] = PerVersion()


def _description_line(definition: EventDefinition, lang: str) -> bytes:
    """The DESCRIPTION content line, folded: the program makes it most of a file's bytes, and
    icalendar folds it in Python, a character at a time (about 10 ms). The same in every
    person's file: serialised once per event version and language."""

    def serialise() -> bytes:
        entry = Event()
        entry.add("description", description(definition, lang))
        ical = entry.to_ical()
        return ical.removeprefix(b"BEGIN:VEVENT\r\n").removesuffix(b"END:VEVENT\r\n")

    return _DESCRIPTIONS.get(definition, lang, serialise)


def ics_filename(definition: EventDefinition, invitation: Invitation, lang: str) -> str:
    """In the person's language, as the file's words are."""
    key = "around.ics.cancel_filename" if invitation.cancel else "around.ics.filename"
    return t(key, lang, slug=definition.slug)
