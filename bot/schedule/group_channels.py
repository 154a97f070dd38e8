"""Per-group channels (schedule.group_channels): names, members and what was created.

The Slack calls (conversations.create / invite / archive) live in workers.group_channels; this
module only decides and records, so a re-run after a crash creates nothing twice.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox, outbox_sending
from storage.models import Event, GroupChannel, OutboxStatus

MARKER = "-"  # as bot.schedule.posts.MARKER_CHANNEL: a done-record, never sent


def channel_name(slug: str, group_key: str) -> str:
    """A valid Slack channel name: lowercase, no spaces or periods, at most 80 characters."""
    return re.sub(r"[^a-z0-9_-]", "-", f"{slug}-{group_key}".lower())[:80]


def channels_of(session: Session, event: Event, *, active: bool = True) -> dict[str, str]:
    """group key -> channel id of the channels created for the event (not archived)."""
    stmt = select(GroupChannel).where(GroupChannel.event_id == event.id)
    if active:
        stmt = stmt.where(GroupChannel.archived_at.is_(None))
    return {c.group_key: c.channel_id for c in session.scalars(stmt)}


def record_created(
    session: Session, event: Event, *, group_key: str, channel_id: str, now: datetime
) -> None:
    session.add(
        GroupChannel(
            event_id=event.id,
            group_key=group_key,
            channel_id=channel_id,
            name=channel_name(event.slug, group_key),
            created_at=now,
        )
    )
    session.flush()


def record_archived(session: Session, event: Event, *, group_key: str, now: datetime) -> None:
    for channel in session.scalars(
        select(GroupChannel).where(
            GroupChannel.event_id == event.id, GroupChannel.group_key == group_key
        )
    ):
        channel.archived_at = now
    session.flush()


def record_done(session: Session, event: Event, *, key: str, text: str, now: datetime) -> None:
    """Note the job in the outbox as done (so a restart neither repeats nor reports it missed)."""
    message_id = outbox.enqueue(
        session, key=key, channel="-", text=text, kind=key.split(":")[0], event_id=event.id, now=now
    )
    if message_id is not None:
        outbox_sending.finish(session, message_id, status=OutboxStatus.SENT, now=now)
