"""Breakout groups: assignment versions, placements and coordinator pins."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base


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
