"""Typed SQLAlchemy 2 models. Invariants that must hold under concurrency are constraints here."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always reads them back aware (SQLite forgets zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON}


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
    locale: Mapped[str] = mapped_column(String(2), default="sv")
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
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    due_at: Mapped[datetime]
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    slack_ts: Mapped[str | None] = mapped_column(String(40))


class AssignmentStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class Assignment(Base):
    """One version of an event's breakout groups: drafted, reviewed, then published."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("event_id", "version", name="uq_assignments_event_version"),
        CheckConstraint(
            "status in ('draft', 'published', 'superseded')", name="ck_assignments_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    report: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    published_by: Mapped[str | None] = mapped_column(String(32))

    placements: Mapped[list[Placement]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", lazy="selectin"
    )


class Placement(Base):
    """Where one participant sits in one assignment version."""

    __tablename__ = "placements"
    __table_args__ = (
        UniqueConstraint("assignment_id", "user_id", name="uq_placements_assignment_user"),
        Index("ix_placements_event_user", "event_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    group_key: Mapped[str] = mapped_column(String(40))
    rank: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(40))

    assignment: Mapped[Assignment] = relationship(back_populates="placements")


class Pin(Base):
    """A coordinator's manual placement: the solver never moves a pinned person."""

    __tablename__ = "pins"
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_pins_event_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    group_key: Mapped[str] = mapped_column(String(40))
    pinned_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


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
