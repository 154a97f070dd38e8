"""The participant list as CSV for Excel in a Swedish locale: UTF-8 with BOM, ';' as separator."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.coordination.audience import group_members
from bot.events.service import definition_of
from bot.i18n import t
from bot.timefmt import format_datetime
from storage.models import Assignment, AssignmentStatus, Event, Registration

COLUMNS = [
    "queue_no", "status", "name", "organisation", "role", "choice_1", "choice_2", "choice_3",
    "group", "comment", "user_id", "email", "created", "updated",
]  # fmt: skip
STATUSES = ("registered", "waitlisted", "cancelled")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _placed_group(session: Session, event: Event) -> dict[str, str]:
    published = session.scalar(
        select(Assignment.id).where(
            Assignment.event_id == event.id, Assignment.status == AssignmentStatus.PUBLISHED
        )
    )
    if published is None:
        return {}
    placed: dict[str, str] = {}
    for group in definition_of(event).groups:
        users, _source = group_members(session, event.id, group.key)
        placed.update(dict.fromkeys(users, group.name))
    return placed


def export_csv(session: Session, event: Event) -> bytes:
    """Every registration of the event in arrival order, as CSV bytes (utf-8-sig), with the
    headers and words in the event's language."""
    definition = definition_of(event)
    placed = _placed_group(session, event)
    registrations = session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id)
        .order_by(Registration.queue_no)
    ).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    lang = definition.language
    writer.writerow([t(f"export.col.{column}", lang) for column in COLUMNS])
    status_word = {status: t(f"export.status.{status}", lang) for status in STATUSES}
    for reg in registrations:
        choices = [g.name if (g := definition.group(k)) else k for k in reg.preferences]
        choices += [""] * (3 - len(choices))
        writer.writerow(
            [str(reg.queue_no), status_word.get(reg.status, reg.status)]
            + [_cell(v) for v in (reg.name, reg.organisation, reg.role, *choices[:3])]
            + [placed.get(reg.user_id, ""), _cell(reg.comment), reg.user_id,
               _cell(reg.email or ""),
               format_datetime(reg.created_at, event.timezone, lang),
               format_datetime(reg.updated_at, event.timezone, lang)]
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8-sig")


def export_filename(event: Event) -> str:
    """The file's name in the event's language."""
    return t("export.filename", definition_of(event).language, slug=event.slug)
