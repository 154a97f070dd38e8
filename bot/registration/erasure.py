"""Taking back what the bot posted about a person who erases their data.

Before the registration is erased, the bot's sent messages that name the person are listed:
its DMs to them (deleted with chat.delete; a calendar file it uploaded, with files.delete) and
the group or channel posts that @-mention them (edited with chat.update so the others' names
stay). Each is recorded in the outbox under 'delete:{id}' / 'redact:{id}', so it is done once and
retried like any message; the stored text of a group post loses the mention at once. Messages
other people wrote are not the bot's to delete, and the answer says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox
from storage.models import Event, OutboxMessage, OutboxStatus

DELETE_KIND = "delete"
REDACT_KIND = "redact"
EDIT_KINDS = (DELETE_KIND, REDACT_KIND)


@dataclass(frozen=True)
class Takeback:
    """One sent message to take back: delete it (text None) or replace its text."""

    source_id: int
    channel: str
    ts: str
    text: str | None


def _without(text: str, user_id: str) -> str:
    """The text with the person's mention taken out (and the list's commas tidied)."""
    text = re.sub(rf",?\s*<@{re.escape(user_id)}(\|[^>]*)?>", "", text)
    return re.sub(r":\s*,\s*", ": ", text)


def collect(session: Session, event: Event, user_id: str) -> list[Takeback]:
    """The bot's sent messages of the event that name the person (read before erasing)."""
    rows = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.event_id == event.id,
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.slack_ts.is_not(None),
            OutboxMessage.slack_ts != "",
            OutboxMessage.slack_ts.not_like("mail:%"),  # an e-mail cannot be taken back
            OutboxMessage.kind.not_in(EDIT_KINDS),
        )
    ).all()
    found = []
    for row in rows:
        assert row.slack_ts is not None
        if row.channel == user_id:
            found.append(Takeback(row.id, user_id, row.slack_ts, None))
        elif f"<@{user_id}" in row.text:
            redacted = _without(row.text, user_id)
            row.text = redacted  # the stored copy forgets the name now
            row.blocks = None
            found.append(Takeback(row.id, row.channel, row.slack_ts, redacted))
    return found


def record(
    session: Session, event: Event, takebacks: list[Takeback], *, now: datetime
) -> list[int]:
    """Record each take-back in the outbox (once); returns the ids to deliver."""
    ids = []
    for item in takebacks:
        kind = DELETE_KIND if item.text is None else REDACT_KIND
        message_id = outbox.enqueue(
            session,
            key=f"{kind}:{item.source_id}",
            channel=item.channel,
            text=item.text or "",
            kind=kind,
            event_id=event.id,
            now=now,
            slack_ts=item.ts,
        )
        ids += [message_id] if message_id else []
    return ids
