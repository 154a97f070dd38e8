"""The file Zoom's "Breakout Room pre-assign -> Import from CSV" takes, from the published groups.

Zoom's format: a header `Pre-assign Room Name,Email Address` and one row per participant. Zoom
takes at most 100 pre-assigned rooms and 1,000 participants (support.zoom.com, "Pre-assigning
meeting participants to breakout rooms"), and one set of pre-assignments per meeting: every
breakout session of the day uses the same rooms. This event model has one published assignment
per event, so there is always exactly one file. People without a known e-mail address cannot be
pre-assigned (Zoom matches the address of the signed-in account) and are listed apart.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import DomainError
from bot.events.schema import AgendaKind, EventDefinition
from bot.events.service import definition_of
from bot.i18n import t
from storage.models import Assignment, AssignmentStatus, Event, Registration, RegistrationStatus

HEADER = ("Pre-assign Room Name", "Email Address")
MAX_ROOMS = 100
MAX_PARTICIPANTS = 1000
LISTED_BY_NAME = 40  # people without an address named in the Slack comment (the rest counted)


@dataclass(frozen=True)
class Unplaceable:
    """A placed participant Zoom cannot pre-assign (no e-mail address known)."""

    user_id: str
    name: str
    room: str


@dataclass(frozen=True)
class ZoomFile:
    rows: tuple[tuple[str, str], ...]  # (room name, e-mail), rooms in the event's order
    without_email: tuple[Unplaceable, ...]
    sessions: tuple[str, ...]  # the agenda's breakout sessions (all use these rooms)
    problems: tuple[str, ...] = field(default=())  # text keys + params: Zoom's limits exceeded

    @property
    def rooms(self) -> int:
        return len({room for room, _ in self.rows})


def room_names(definition: EventDefinition) -> dict[str, str]:
    """Group key -> room name: the group's name, made unique (Zoom merges rows by room name)."""
    names: dict[str, str] = {}
    for group in definition.groups:
        name = group.name
        if name in names.values():
            name = f"{name} ({group.key})"
        names[group.key] = name
    return names


def zoom_rows(
    placements: list[tuple[str, str]],
    people: dict[str, tuple[str, str]],
    rooms: dict[str, str],
) -> tuple[list[tuple[str, str]], list[Unplaceable]]:
    """(user, group) placements -> Zoom rows and those without an address (pure)."""
    order = {key: index for index, key in enumerate(rooms)}
    rows, without = [], []
    for user_id, key in sorted(placements, key=lambda p: (order.get(p[1], len(order)), p[0])):
        name, email = people.get(user_id, (user_id, ""))
        room = rooms.get(key, key)
        if email:
            rows.append((room, email))
        else:
            without.append(Unplaceable(user_id, name, room))
    return rows, without


def limit_problems(rows: list[tuple[str, str]], lang: str) -> list[str]:
    """What Zoom would refuse, in words (empty when within its limits)."""
    problems = []
    rooms = len({room for room, _ in rows})
    if rooms > MAX_ROOMS:
        problems.append(t("around.zoom.too_many_rooms", lang, max=MAX_ROOMS, n=rooms))
    if len(rows) > MAX_PARTICIPANTS:
        problems.append(t("around.zoom.too_many_people", lang, max=MAX_PARTICIPANTS, n=len(rows)))
    return problems


def zoom_file(session: Session, event: Event, *, lang: str) -> ZoomFile:
    """The published groups as Zoom's pre-assignment; refused while nothing is published."""
    definition = definition_of(event)
    assignment = session.scalars(
        select(Assignment)
        .where(Assignment.event_id == event.id, Assignment.status == AssignmentStatus.PUBLISHED)
        .order_by(Assignment.version.desc())
        .limit(1)
    ).one_or_none()
    if assignment is None:
        raise DomainError("around.zoom.not_published", title=definition.title, slug=event.slug)
    registered = {
        r.user_id: (r.name, r.email or "")
        for r in session.scalars(
            select(Registration).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.REGISTERED,
            )
        )
    }
    placements = [
        (p.user_id, p.group_key) for p in assignment.placements if p.user_id in registered
    ]
    rows, without = zoom_rows(placements, registered, room_names(definition))
    sessions = tuple(
        item.title for item in definition.flat_agenda() if item.kind == AgendaKind.BREAKOUT
    )
    return ZoomFile(tuple(rows), tuple(without), sessions, tuple(limit_problems(rows, lang)))


def zoom_csv(rows: tuple[tuple[str, str], ...]) -> bytes:
    """Zoom's CSV: comma-separated UTF-8 without a BOM (its importer reads the header by name)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def zoom_filename(event: Event, lang: str) -> str:
    return t("around.zoom.filename", lang, slug=event.slug)


def zoom_comment(zoom: ZoomFile, title: str, lang: str) -> str:
    """The words sent with the file: counts, how to import, limits, who to place by hand."""
    parts = [
        t("around.zoom.comment", lang, title=title, rows=len(zoom.rows), rooms=zoom.rooms,
          sessions=", ".join(zoom.sessions) or "–"),
        *zoom.problems,
    ]  # fmt: skip
    if zoom.without_email:
        named = zoom.without_email[:LISTED_BY_NAME]
        lines = "\n".join(f"• {p.name} (<@{p.user_id}>) → {p.room}" for p in named)
        if len(zoom.without_email) > len(named):
            lines += "\n" + t("coord.progress.more", lang, n=len(zoom.without_email) - len(named))
        parts.append(t("around.zoom.no_email", lang, n=len(zoom.without_email), lines=lines))
    return "\n\n".join(parts)
