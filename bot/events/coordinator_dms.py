"""DMs to an event's coordinators (listed users, and a user group resolved at send time)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import outbox
from bot.events.service import definition_of
from storage.models import Event

FAULT_KIND = "fault"


def tell_coordinators(
    session: Session, event: Event, text: str, key: str, now: datetime, *, kind: str = FAULT_KIND
) -> list[int]:
    """Record one DM per coordinator under key:{user}; returns the ids newly recorded.

    A coordinators' user group is recorded as one message the delivery worker resolves."""
    ids = []
    coordinators = definition_of(event).coordinators
    for user in outbox.coordinator_recipients(coordinators.users, coordinators.usergroup):
        new_id = outbox.enqueue(
            session,
            key=f"{key}:{user}",
            channel=user,
            text=text,
            kind=kind,
            event_id=event.id,
            now=now,
        )
        if new_id is not None:
            ids.append(new_id)
    return ids
