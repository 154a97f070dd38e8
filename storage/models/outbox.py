"""The outbox: every outgoing message under a unique key."""

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


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    MISSED = "missed"
    UNKNOWN = "unknown"  # the process died mid-send: never re-sent blindly
    CANCELLED = "cancelled"


class OutboxMessage(Base):
    """Every outgoing post, recorded under a unique key before it is sent (exactly once)."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(
            "status in ('pending','sending','sent','failed','missed','unknown','cancelled')",
            name="ck_outbox_status",
        ),
        Index("ix_outbox_status_due", "status", "due_at"),
        Index("ix_outbox_event", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(100), comment="channel id/name or user id (DM)")
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[list[Any] | None] = mapped_column(JSON)
    attachment: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, comment="a file sent with the message: filename, title, mime, content"
    )
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    due_at: Mapped[datetime]
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(
        String(64), comment="INSTANCE_ID of the process that claimed it (crash recovery)"
    )
    sent_at: Mapped[datetime | None]
    slack_ts: Mapped[str | None] = mapped_column(String(40))
