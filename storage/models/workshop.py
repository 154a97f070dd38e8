"""What the groups wrote: every edit of a group's notes, kept with who wrote it and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class GroupNoteEdit(Base):
    """One answer to one workshop question by one member; the newest per question is current.

    Rows are only ever added (the history of who wrote what, and when); "the last edit wins"
    is the row with the highest id for (event, group, question).
    """

    __tablename__ = "group_note_edits"
    __table_args__ = (Index("ix_group_note_edits_group", "event_id", "group_key", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    group_key: Mapped[str] = mapped_column(String(40))
    question_key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str] = mapped_column(String(32))
    written_at: Mapped[datetime]
