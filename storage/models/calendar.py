"""Calendar invitations: the SEQUENCE each person's copy of an event has reached."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class CalendarInvite(Base):
    """The last invitation (or cancellation) a person was sent for an event."""

    __tablename__ = "calendar_invites"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_calendar_invites_event_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int]
    fingerprint: Mapped[str] = mapped_column(String(64), comment="time, link and title sent")
    cancelled: Mapped[bool]
    updated_at: Mapped[datetime]
