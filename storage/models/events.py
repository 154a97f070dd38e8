"""Events and registrations: one per person and event, seats guarded by a CHECK, the inbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Event(Base):
    """A loaded event definition plus the seat counter that guards the seat limit."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("registered_count >= 0", name="ck_events_registered_nonneg"),
        CheckConstraint("registered_count <= seat_limit", name="ck_events_not_oversold"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    title: Mapped[str] = mapped_column(String(150))
    definition: Mapped[dict[str, Any]]
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    seat_limit: Mapped[int]
    registered_count: Mapped[int] = mapped_column(default=0)
    queue_counter: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    purged_at: Mapped[datetime | None]
    anonymous_counts: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, comment="what is kept after the retention purge: counts only"
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    registrations: Mapped[list[Registration]] = relationship(back_populates="event")


class Registration(Base):
    """One person's registration for one event (at most one per person and event)."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_registrations_event_user"),
        UniqueConstraint("event_id", "queue_no", name="uq_registrations_event_queue"),
        CheckConstraint(
            "status in ('registered', 'waitlisted', 'cancelled')", name="ck_registrations_status"
        ),
        Index("ix_registrations_event_status_queue", "event_id", "status", "queue_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    queue_no: Mapped[int] = mapped_column(Integer, comment="arrival order within the event")
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(150))
    role: Mapped[str] = mapped_column(String(150), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254), comment="from the Slack profile")
    locale: Mapped[str] = mapped_column(String(2), default="sv")
    team_id: Mapped[str | None] = mapped_column(
        String(32), comment="the person's home workspace (Slack Connect)"
    )
    consent_at: Mapped[datetime]
    fingerprint: Mapped[str] = mapped_column(String(64), comment="hash of the submitted form")
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship(back_populates="registrations")
    choices: Mapped[list[GroupChoice]] = relationship(
        back_populates="registration",
        cascade="all, delete-orphan",
        order_by="GroupChoice.rank",
        lazy="selectin",
    )

    @property
    def preferences(self) -> list[str]:
        return [c.group_key for c in self.choices]


class GroupChoice(Base):
    """A ranked group preference; ranks and groups are distinct per registration."""

    __tablename__ = "group_choices"
    __table_args__ = (
        UniqueConstraint("registration_id", "rank", name="uq_group_choices_rank"),
        UniqueConstraint("registration_id", "group_key", name="uq_group_choices_group"),
        CheckConstraint("rank between 1 and 3", name="ck_group_choices_rank"),
        Index("ix_group_choices_event_group", "event_id", "group_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    rank: Mapped[int]
    group_key: Mapped[str] = mapped_column(String(40))

    registration: Mapped[Registration] = relationship(back_populates="choices")


class InboxItem(Base):
    """A submitted form, recorded before Slack gets its acknowledgement; processed in arrival
    order by the inbox worker, so a fast ack never means a lost registration."""

    __tablename__ = "registration_inbox"
    __table_args__ = (
        CheckConstraint(
            "status in ('pending', 'done', 'failed')", name="ck_registration_inbox_status"
        ),
        Index("ix_registration_inbox_pending", "status", "event_slug", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_slug: Mapped[str] = mapped_column(String(63))
    user_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16), comment="register | groups")
    payload: Mapped[dict[str, Any]]
    lang: Mapped[str] = mapped_column(String(2))
    view_id: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    processed_at: Mapped[datetime | None]
