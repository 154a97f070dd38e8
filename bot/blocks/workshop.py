"""Block Kit of the workshop: the notes button under a breakout post and the notes modal."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.events.schema import EventDefinition, FocusArea, Group
from bot.i18n import t
from bot.ids.workshop import (
    NOTE_ACTION,
    NOTE_BLOCK_PREFIX,
    Action,
    Block,
    Callback,
    event_value,
    group_value,
    note_block_id,
)
from bot.timefmt import format_datetime
from bot.workshop.notes import MAX_NOTE_LENGTH, GroupNotes

MAX_AREA_SECTIONS = 20  # a modal holds 100 blocks; an event has a handful of focus areas


def notes_button(slug: str, group_key: str, lang: str) -> ActionsBlock:
    """The "Gruppens anteckningar" button (value 'slug|group')."""
    button = ButtonElement(
        text=t("workshop.notes.button", lang),
        action_id=Action.OPEN_NOTES,
        value=group_value(slug, group_key),
    )
    return ActionsBlock(block_id=Block.NOTES_BUTTON, elements=[button])


def build_breakout_post(text: str, slug: str, group_key: str, lang: str) -> list[dict[str, Any]]:
    """A breakout post (group message or DM): its text and the notes button."""
    blocks = [SectionBlock(text=text[:3000]), notes_button(slug, group_key, lang)]
    return [block.to_dict() for block in blocks]


def build_notes_modal(
    definition: EventDefinition, group: Group, notes: GroupNotes, lang: str
) -> View:
    """The group's notes: one multi-line input per workshop question, prefilled with the notes."""
    blocks: list[Any] = [
        SectionBlock(
            text=MarkdownTextObject(text=t("workshop.notes.intro", lang, group=group.name))
        )
    ]
    for question in definition.workshop.questions:
        note = notes.get(question.key)
        element = PlainTextInputElement(
            action_id=NOTE_ACTION,
            multiline=True,
            max_length=MAX_NOTE_LENGTH,
            initial_value=note.text if note else None,
            placeholder=question.hint or None,
        )
        blocks.append(
            InputBlock(
                block_id=note_block_id(question.key),
                label=question.label,
                element=element,
                optional=True,
            )
        )
    if notes:
        last = max(notes.values(), key=lambda n: n.written_at)
        when = format_datetime(last.written_at, definition.timezone, lang)
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=t("workshop.notes.last", lang, user=last.author_id, when=when)
                    )  # fmt: skip
                ]
            )
        )
    return View(
        type="modal",
        callback_id=Callback.NOTES_MODAL,
        private_metadata=group_value(definition.slug, group.key),
        title=PlainTextObject(text=t("workshop.notes.title", lang)),
        submit=PlainTextObject(text=t("workshop.notes.save", lang)),
        close=PlainTextObject(text=t("workshop.notes.close", lang)),
        blocks=blocks,
    )


def read_notes(state_values: dict[str, Any]) -> dict[str, str]:
    """question key -> the text typed (an emptied field is an empty string)."""
    answers = {}
    for block_id, fields in state_values.items():
        if block_id.startswith(NOTE_BLOCK_PREFIX):
            value = (fields.get(NOTE_ACTION) or {}).get("value")
            answers[block_id.removeprefix(NOTE_BLOCK_PREFIX)] = value or ""
    return answers


def build_feedback_thanks(text: str, slug: str, lang: str) -> list[dict[str, Any]]:
    """The thank-you that replaces the score buttons, with a button for an optional comment."""
    button = ButtonElement(
        text=t("workshop.feedback.add", lang),
        action_id=Action.FEEDBACK_COMMENT,
        value=event_value(slug),
    )
    blocks = [SectionBlock(text=text), ActionsBlock(block_id=Block.FEEDBACK_COMMENT,
                                                    elements=[button])]  # fmt: skip
    return [block.to_dict() for block in blocks]


def build_comment_modal(slug: str, lang: str) -> View:
    """The optional free-text answer after the score."""
    element = PlainTextInputElement(action_id=NOTE_ACTION, multiline=True, max_length=2000)
    return View(
        type="modal",
        callback_id=Callback.FEEDBACK_COMMENT_MODAL,
        private_metadata=event_value(slug),
        title=PlainTextObject(text=t("workshop.feedback.title", lang)),
        submit=PlainTextObject(text=t("workshop.feedback.send", lang)),
        close=PlainTextObject(text=t("workshop.feedback.close", lang)),
        blocks=[InputBlock(block_id=Block.FEEDBACK_COMMENT, label=t("workshop.feedback.label",
                                                                     lang), element=element)],
    )  # fmt: skip


def read_comment(state_values: dict[str, Any]) -> str:
    field = state_values.get(Block.FEEDBACK_COMMENT, {}).get(NOTE_ACTION) or {}
    return field.get("value") or ""


def _area_text(area: FocusArea) -> str:
    lines = [f"*{area.name}*"]
    if area.description:
        lines.append(area.description)
    for group in area.groups:
        if group.name != area.name or group.description:  # a one-group area needs no repeat
            lines.append(f"• *{group.name}*" + (f": {group.description}" if group.description
                                                 else ""))  # fmt: skip
    return "\n".join(lines)[:3000]


def has_descriptions(definition: EventDefinition) -> bool:
    return any(a.description or any(g.description for g in a.groups)
               for a in definition.focus_areas)  # fmt: skip


def build_area_descriptions(definition: EventDefinition) -> list[SectionBlock]:
    """One section per focus area: its description and its groups (with theirs), where people
    choose; empty when the event file describes none."""
    if not has_descriptions(definition):
        return []
    return [SectionBlock(text=MarkdownTextObject(text=_area_text(area)))
            for area in definition.focus_areas[:MAX_AREA_SECTIONS]]  # fmt: skip


def read_more_button(slug: str, lang: str) -> ActionsBlock:
    """The join DM's "Läs mer" button: the focus areas and groups, described."""
    button = ButtonElement(text=t("workshop.readmore.button", lang), action_id=Action.READ_MORE,
                           value=event_value(slug))  # fmt: skip
    return ActionsBlock(block_id=Block.READ_MORE, elements=[button])


def build_join_blocks(text: str, definition: EventDefinition) -> list[dict[str, Any]] | None:
    """The join-link DM with a "Läs mer" button (None when nothing is described)."""
    if not has_descriptions(definition):
        return None
    sections = [SectionBlock(text=chunk) for chunk in _chunks(text, 3000)]
    blocks = [*sections, read_more_button(definition.slug, definition.language)]
    return [block.to_dict() for block in blocks]


def _chunks(text: str, size: int) -> list[str]:
    """text split at line ends into pieces of at most size characters."""
    chunks, current = [], ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > size and current:
            chunks.append(current)
            candidate = line
        current = candidate[:size]
    return [*chunks, current] if current else chunks


def build_read_more_modal(definition: EventDefinition, lang: str) -> View:
    """The focus areas and their groups with the event file's descriptions."""
    intro = SectionBlock(text=MarkdownTextObject(text=f"*{definition.title}*"))
    return View(
        type="modal",
        title=PlainTextObject(text=t("workshop.readmore.title", lang)),
        close=PlainTextObject(text=t("workshop.notes.close", lang)),
        blocks=[intro, *[SectionBlock(text=MarkdownTextObject(text=_area_text(area)))
                         for area in definition.focus_areas[:MAX_AREA_SECTIONS]]],
    )  # fmt: skip
