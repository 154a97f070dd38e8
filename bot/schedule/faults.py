"""Telling the coordinators that a message could not be sent (once per event, error, channel)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.events.coordinator_dms import FAULT_KIND, tell_coordinators
from bot.events.schema import EventDefinition
from bot.events.service import definition_of
from bot.i18n import t
from bot.timefmt import format_datetime
from storage.models import Event, OutboxMessage


def report_fault(session: Session, message_id: int, error: str, *, now: datetime) -> list[int]:
    """Record a DM to each coordinator about a permanently failed message; returns outbox ids."""
    message = session.get(OutboxMessage, message_id)
    if message is None or message.kind == FAULT_KIND or message.event_id is None:
        return []  # a failed report is not reported again (no loops)
    if message.kind in ("delete", "redact"):
        return []  # taking back an erased person's posts: a report would name them again
    event = session.get(Event, message.event_id)
    if event is None:
        return []
    return report_problem(session, event, error=error, target=message.channel, now=now)


def report_problem(
    session: Session, event: Event, *, error: str, target: str, now: datetime
) -> list[int]:
    """DM each coordinator that something for `target` failed with `error` (once per pair)."""
    definition = definition_of(event)
    shown = target if target[:1] not in ("U", "W") else f"<@{target}>"
    text = t("sched.fault", definition.language, channel=shown, error=error)
    return tell_coordinators(session, event, text, f"fault:{event.slug}:{error}:{target}", now)


def report_missed(session: Session, event: Event, keys: list[str], *, now: datetime) -> list[int]:
    """One DM per coordinator listing posts recorded as missed (after an outage), not one each."""
    if not keys:
        return []
    definition = definition_of(event)
    listed = "\n".join(f"• {_in_words(definition, key)}" for key in keys[:30])
    text = t("sched.missed", definition.language, n=len(keys), posts=listed)
    return tell_coordinators(session, event, text, f"missed:{event.slug}:{now.isoformat()}", now)


def _in_words(definition: EventDefinition, key: str) -> str:
    """'torsdag 22 april 2021 kl. 08:10: Påminnelse inför *Incheckning*' for a job key."""
    from bot.schedule.plan import find_post, item_ids  # the plan imports the post texts

    post = find_post(definition, key)
    lang = definition.language
    if post is None:
        return f"`{key}`"
    item = next((i.title for iid, i in item_ids(definition) if iid == post.item_id), "")
    label = t(f"truth.job.{post.kind}", lang, item=item)
    at = format_datetime(post.due, definition.timezone, lang)
    return f"{at}: {label[:1].upper()}{label[1:]}"
