"""What the groups wrote, as text: the short summary per focus area for the event channel and
the full text for the coordinators. Pure functions over the event and the current notes."""

from __future__ import annotations

from bot.events.schema import EventDefinition, FocusArea
from bot.events.workshop_schema import QuestionRole, WorkshopQuestion
from bot.i18n import t
from bot.workshop.notes import GroupNotes

SHORT_ANSWER = 160  # characters of an answer in the channel summary
MAX_MESSAGE = 35_000  # chat.postMessage accepts 40,000 characters of text; keep a margin


def questions_at(definition: EventDefinition, *, with_next_steps: bool) -> list[WorkshopQuestion]:
    """The questions a regroup summarises: next steps and contact only at the last one."""
    later = {QuestionRole.NEXT_STEPS, QuestionRole.CONTACT}
    return [q for q in definition.workshop.questions if with_next_steps or q.role not in later]


def shorten(text: str, limit: int = SHORT_ANSWER) -> str:
    """One line of at most `limit` characters, cut at a word, with an ellipsis when cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def _groups_with_members(area: FocusArea, members: dict[str, list[str]]) -> list:
    return [g for g in area.groups if members.get(g.key)]


def area_summary(
    definition: EventDefinition,
    area: FocusArea,
    notes: dict[str, GroupNotes],
    members: dict[str, list[str]],
    *,
    item_title: str,
    with_next_steps: bool,
) -> str | None:
    """The channel post of one focus area: a short line per answer, and who wrote nothing."""
    lang = definition.language
    groups = _groups_with_members(area, members)
    if not groups:
        return None
    questions = questions_at(definition, with_next_steps=with_next_steps)
    lines = [t("workshop.regroup.header", lang, item=item_title, area=area.name)]
    silent = []
    for group in groups:
        answers = [(q, notes.get(group.key, {}).get(q.key)) for q in questions]
        written = [(q, n) for q, n in answers if n is not None]
        if not written:
            silent.append(group.name)
            continue
        lines.append(f"*{group.name}*")
        lines += [f"• _{q.label}_ {shorten(n.text)}" for q, n in written]
    if silent:
        lines.append(t("workshop.regroup.silent", lang, groups=", ".join(silent)))
    return "\n".join(lines)


def full_text(
    definition: EventDefinition,
    notes: dict[str, GroupNotes],
    members: dict[str, list[str]],
    *,
    item_title: str,
) -> list[str]:
    """Everything the groups wrote, per focus area, for the coordinators (split to fit Slack)."""
    lang = definition.language
    parts = [t("workshop.regroup.full_header", lang, item=item_title, title=definition.title)]
    for area in definition.focus_areas:
        groups = _groups_with_members(area, members)
        if not groups:
            continue
        parts.append(f"\n*{area.name}*")
        for group in groups:
            group_notes = notes.get(group.key, {})
            block = [f"\n*{group.name}*"]
            if not group_notes:
                block.append(t("workshop.regroup.nothing", lang))
            for question in definition.workshop.questions:
                note = group_notes.get(question.key)
                if note is not None:  # who wrote it last (the history keeps every edit)
                    block.append(f"_{question.label}_ (<@{note.author_id}>)\n{note.text}")
            parts.append("\n".join(block))
    return _split(parts)


def _split(parts: list[str]) -> list[str]:
    """Join parts into messages of at most MAX_MESSAGE characters (a part is never split
    unless it alone is too long)."""
    messages: list[str] = []
    current = ""
    for part in parts:
        part = part[:MAX_MESSAGE]
        if current and len(current) + len(part) + 1 > MAX_MESSAGE:
            messages.append(current)
            current = part
        else:
            current = f"{current}\n{part}" if current else part
    if current:
        messages.append(current)
    return messages
