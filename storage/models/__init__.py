"""Typed SQLAlchemy 2 models, one module per concern. Invariants that must hold under concurrency
are constraints here (unique registrations, the seat CHECK, unique outbox keys)."""

from storage.models.base import Base, UTCDateTime
from storage.models.breakouts import Assignment, AssignmentStatus, Pin, Placement
from storage.models.broadcasts import Broadcast, BroadcastStatus
from storage.models.calendar import CalendarInvite
from storage.models.events import (
    Event,
    GroupChoice,
    InboxItem,
    Registration,
    RegistrationStatus,
)
from storage.models.outbox import OutboxMessage, OutboxStatus
from storage.models.schedule import FeedbackAnswer, GroupChannel
from storage.models.workshop import GroupNoteEdit

__all__ = [
    "Assignment",
    "AssignmentStatus",
    "Base",
    "Broadcast",
    "BroadcastStatus",
    "CalendarInvite",
    "Event",
    "FeedbackAnswer",
    "GroupChannel",
    "GroupChoice",
    "GroupNoteEdit",
    "InboxItem",
    "OutboxMessage",
    "OutboxStatus",
    "Pin",
    "Placement",
    "Registration",
    "RegistrationStatus",
    "UTCDateTime",
]
