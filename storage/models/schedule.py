"""What the day leaves behind: feedback answers and per-group channels."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class FeedbackAnswer(Base):
    """One participant's answer to the feedback question after the event (one per person)."""

    __tablename__ = "feedback_answers"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_feedback_event_user"),
        CheckConstraint("score between 1 and 5", name="ck_feedback_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    score: Mapped[int]
    answered_at: Mapped[datetime]
    comment: Mapped[str | None] = mapped_column(Text, default=None)  # the optional free text


class GroupChannel(Base):
    """A per-group Slack channel the bot created for an event (schedule.group_channels)."""

    __tablename__ = "group_channels"
    __table_args__ = (UniqueConstraint("event_id", "group_key", name="uq_group_channels_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    group_key: Mapped[str] = mapped_column(String(40))
    channel_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    archived_at: Mapped[datetime | None]
