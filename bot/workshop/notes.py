"""Group notes: any member of a group writes and edits them; the last edit wins, all are kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import DomainError
from bot.events.schema import EventDefinition
from bot.events.service import definition_of, get_event
from storage.models import Event, GroupNoteEdit

MAX_NOTE_LENGTH = 3000  # a Slack multi-line input holds at most 3000 characters


@dataclass(frozen=True)
class Note:
    """The current answer of a group to one question: its text, who wrote it last, and when."""

    question_key: str
    text: str
    author_id: str
    written_at: datetime


GroupNotes = dict[str, Note]  # question key -> current note (empty answers left out)


def _member_group(session: Session, event: Event, definition: EventDefinition, user_id: str,
                  group_key: str) -> None:  # fmt: skip
    """Refuse anyone who is not placed in the group in the published assignment."""
    group = definition.group(group_key)
    if group is None:
        raise DomainError("breakouts.unknown_group", group=group_key)
    from bot.breakouts import service as breakouts  # imports the engine: only when needed

    placed = breakouts.placements(session, slug=event.slug, published=True).get(user_id)
    if placed is None or placed.group_key != group_key:
        raise DomainError("workshop.notes.not_member", group=group.name)


def _event(session: Session, slug: str) -> tuple[Event, EventDefinition]:
    event = get_event(session, slug)
    if event is None or event.purged_at is not None:
        raise DomainError("workshop.unknown_event", slug=slug)
    definition = definition_of(event)
    if not definition.workshop.questions:
        raise DomainError("workshop.notes.no_questions")
    return event, definition


def check_member(session: Session, *, slug: str, group_key: str, user_id: str) -> GroupNotes:
    """The group's current notes, for a member who opens them (else a DomainError)."""
    event, definition = _event(session, slug)
    _member_group(session, event, definition, user_id, group_key)
    return notes_by_group(session, event).get(group_key, {})


def save_notes(
    session: Session, *, slug: str, group_key: str, user_id: str, answers: dict[str, str],
    now: datetime,
) -> int:  # fmt: skip
    """Store what a member wrote (only the answers that changed); returns how many changed."""
    event, definition = _event(session, slug)
    _member_group(session, event, definition, user_id, group_key)
    current = notes_by_group(session, event).get(group_key, {})
    changed = 0
    for question in definition.workshop.questions:
        text = (answers.get(question.key) or "").strip()[:MAX_NOTE_LENGTH]
        before = current.get(question.key)
        if text == (before.text if before else ""):
            continue
        session.add(
            GroupNoteEdit(
                event_id=event.id, group_key=group_key, question_key=question.key, text=text,
                author_id=user_id, written_at=now,
            )
        )  # fmt: skip
        changed += 1
    session.flush()
    return changed


def notes_by_group(session: Session, event: Event) -> dict[str, GroupNotes]:
    """group key -> question key -> the newest note (a cleared answer counts as none)."""
    rows = session.scalars(
        select(GroupNoteEdit).where(GroupNoteEdit.event_id == event.id).order_by(GroupNoteEdit.id)
    )
    result: dict[str, GroupNotes] = {}
    for row in rows:  # in write order: a later edit replaces an earlier one
        notes = result.setdefault(row.group_key, {})
        notes[row.question_key] = Note(row.question_key, row.text, row.author_id, row.written_at)
    return {
        group: kept
        for group, notes in result.items()
        if (kept := {key: note for key, note in notes.items() if note.text})
    }


def history(session: Session, event: Event, group_key: str) -> list[Note]:
    """Every edit of the group's notes in the order written (who wrote what, and when)."""
    rows = session.scalars(
        select(GroupNoteEdit)
        .where(GroupNoteEdit.event_id == event.id, GroupNoteEdit.group_key == group_key)
        .order_by(GroupNoteEdit.id)
    )
    return [Note(r.question_key, r.text, r.author_id, r.written_at) for r in rows]
