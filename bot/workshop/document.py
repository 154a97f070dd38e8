"""The day's documentation as a Word file (.docx): what Swedish municipalities and universities
edit and archive. Built from a DayReport; names only group members and what the groups wrote."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Literal

from bot.events.schema import EventDefinition
from bot.events.workshop_schema import QuestionRole
from bot.i18n import t
from bot.timefmt import format_date, format_datetime, format_span
from bot.workshop.report_data import DayReport, GroupReport


def documentation_filename(definition: EventDefinition) -> str:
    """In the event's language, as the document itself is."""
    return t("workshop.doc.filename", definition.language, slug=definition.slug)


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _picture(document, png: bytes, width_cm: float = 16) -> None:
    from docx.shared import Cm

    document.add_picture(io.BytesIO(png), width=Cm(width_cm))


def _chart(
    document, report: DayReport, kind: Literal["organisations", "choices", "feedback"],
    width_cm: float = 16,
) -> None:  # fmt: skip
    from bot.workshop import charts  # Pillow: loaded when a document is made, not at start

    draw = {"organisations": charts.organisation_chart, "choices": charts.choices_chart,
            "feedback": charts.feedback_chart}[kind]  # fmt: skip
    _picture(document, draw(report), width_cm)


def _program(document, definition: EventDefinition, lang: str) -> None:
    document.add_heading(t("workshop.doc.program", lang), level=1)
    rows = []
    for item in definition.flat_agenda():
        rows.append([format_span(item.start, item.end), item.title, item.speaker])
    _table(document, [t("workshop.doc.col.time", lang), t("workshop.doc.col.item", lang),
                      t("workshop.doc.col.speaker", lang)], rows)  # fmt: skip


def _participation(document, report: DayReport, lang: str) -> None:
    definition = report.definition
    document.add_heading(t("workshop.doc.participation", lang), level=1)
    document.add_paragraph(
        t("workshop.doc.counts", lang, registered=report.registered,
          seats=definition.registration.seat_limit, waitlisted=report.waitlisted,
          cancelled=report.cancelled)
    )  # fmt: skip
    _table(document, [t("workshop.doc.col.organisation", lang), t("workshop.doc.col.count", lang)],
           [[name, str(n)] for name, n in report.organisations])  # fmt: skip
    if any(g.members for g in report.groups):
        _chart(document, report, "organisations")


def _group(document, group: GroupReport, definition: EventDefinition, lang: str) -> None:
    document.add_heading(group.group.name, level=3)
    if group.group.description:
        document.add_paragraph(group.group.description)
    if group.members:
        header = [t(f"workshop.doc.col.{c}", lang) for c in ("name", "organisation", "choice")]
        rows = [[m.name, m.organisation, str(m.rank) if m.rank else "–"] for m in group.members]
        _table(document, header, rows)
    if not group.notes:
        document.add_paragraph(t("workshop.doc.no_notes", lang)).runs[0].italic = True
        return
    for question in definition.workshop.questions:
        note = group.notes.get(question.key)
        if note is None:
            continue
        label = document.add_paragraph()
        label.add_run(question.label).bold = True
        document.add_paragraph(note.text)


def _groups(document, report: DayReport, lang: str) -> None:
    document.add_heading(t("workshop.doc.groups", lang), level=1)
    if report.groups:
        _chart(document, report, "choices")
    for area in report.areas:
        document.add_heading(area.area.name, level=2)
        if area.area.description:
            document.add_paragraph(area.area.description)
        for group in area.groups:
            if group.members or group.notes:
                _group(document, group, report.definition, lang)


def _next_steps(document, report: DayReport, lang: str) -> None:
    workshop = report.definition.workshop
    steps = workshop.with_role(QuestionRole.NEXT_STEPS)
    contacts = workshop.with_role(QuestionRole.CONTACT)
    if not steps and not contacts:
        return
    document.add_heading(t("workshop.doc.next_steps", lang), level=1)
    rows = []
    for group in report.groups:
        step = "\n".join(group.notes[q.key].text for q in steps if q.key in group.notes)
        contact = "\n".join(group.notes[q.key].text for q in contacts if q.key in group.notes)
        if group.members or step or contact:
            rows.append([group.group.name, step or "–", contact or "–"])
    _table(document, [t("workshop.doc.col.group", lang), t("workshop.doc.col.steps", lang),
                      t("workshop.doc.col.contact", lang)], rows)  # fmt: skip
    if report.definition.follow_up.support:
        document.add_heading(t("workshop.doc.support", lang), level=2)
        document.add_paragraph(report.definition.follow_up.support)


def _feedback(document, report: DayReport, lang: str) -> None:
    document.add_heading(t("workshop.doc.feedback", lang), level=1)
    results = report.feedback
    if not results.total:
        document.add_paragraph(t("workshop.doc.no_feedback", lang))
        return
    mean = f"{results.mean:.1f}".replace(".", "," if lang == "sv" else ".")
    document.add_paragraph(t("workshop.doc.feedback_summary", lang, n=results.total, mean=mean))
    _table(document, [t("workshop.doc.col.score", lang), t("workshop.doc.col.count", lang)],
           [[str(score), str(n)] for score, n in results.counts.items()])  # fmt: skip
    _chart(document, report, "feedback", width_cm=11)
    if results.comments:
        document.add_heading(t("workshop.doc.comments", lang), level=2)
        for comment in results.comments:
            document.add_paragraph(comment, style="List Bullet")


def build_documentation(report: DayReport, *, now: datetime) -> bytes:
    """The .docx bytes of the day's documentation."""
    from docx import Document  # python-docx and lxml: loaded for the documentation only

    definition = report.definition
    lang = definition.language
    document = Document()
    document.core_properties.title = definition.title
    document.add_heading(definition.title, level=0)
    facts = [
        format_date(definition.date, lang),
        definition.location,
        ", ".join(definition.partners),
    ]
    document.add_paragraph(" · ".join(f for f in facts if f))
    if definition.description:
        document.add_paragraph(definition.description)
    _program(document, definition, lang)
    _participation(document, report, lang)
    _groups(document, report, lang)
    _next_steps(document, report, lang)
    _feedback(document, report, lang)
    made = format_datetime(now, definition.timezone, lang)
    document.add_paragraph(t("workshop.doc.made", lang, when=made)).runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
