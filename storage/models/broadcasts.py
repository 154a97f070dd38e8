"""Coordinators' broadcasts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class BroadcastStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class Broadcast(Base):
    """A coordinator's message to an event's audiences; recipients become outbox rows
    (`broadcast:{id}:{recipient}`) in the transaction that starts the sending."""

    __tablename__ = "broadcasts"
    __table_args__ = (
        CheckConstraint(
            "status in ('draft', 'scheduled', 'sending', 'done', 'cancelled')",
            name="ck_broadcasts_status",
        ),
        Index("ix_broadcasts_status_send_at", "status", "send_at"),
        Index("ix_broadcasts_event", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    audiences: Mapped[list[Any]] = mapped_column(JSON)
    send_at: Mapped[datetime | None] = mapped_column(comment="None = as soon as confirmed")
    status: Mapped[str] = mapped_column(String(16), default=BroadcastStatus.DRAFT)
    lang: Mapped[str] = mapped_column(String(2), default="sv")
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="SET NULL"), comment="the scheduled one it changes"
    )
    total: Mapped[int] = mapped_column(default=0)
    progress_channel: Mapped[str | None] = mapped_column(String(40))
    progress_ts: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
