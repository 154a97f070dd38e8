"""Carrying out one planned post: render it and record it in the outbox, in one transaction.

Scheduled jobs call `run_post`; it re-reads the event (so an edit since the job was scheduled is
honoured), refuses to post what is later than the grace (recorded as 'missed' instead) and records
every message under a key derived from the planned post's key, so running it twice sends nothing
twice. Sending is the Deliverer's business, after the commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot import outbox
from bot.blocks.schedule_messages import build_feedback_question
from bot.events.schema import EventDefinition
from bot.events.service import definition_of, get_event
from bot.i18n import normalise_language, t
from bot.schedule import texts
from bot.schedule.audience import placements_of, registrations
from bot.schedule.group_channels import channels_of
from bot.schedule.plan import (
    SLACK_SIDE_KINDS,
    Audience,
    PlannedPost,
    PostKind,
    find_post,
    item_ids,
)
from storage.models import Event, OutboxMessage, OutboxStatus, RegistrationStatus

logger = logging.getLogger(__name__)


@dataclass
class PostResult:
    outbox_ids: list[int] = field(default_factory=list)
    missed: bool = False
    skipped: str | None = None  # why nothing was done (event gone, post removed by an edit)


MARKER_CHANNEL = "-"  # an outbox row that records a job as done; never sent


def is_done(session: Session, key: str) -> bool:
    """Whether the job `key` ran: its channel post, its done-marker or its 'missed' record.

    Only the exact key counts: a promoted person's join link (`joinlink:{slug}:{user}`) sent
    before the join-link job ran must not make the job look done for everyone else.
    """
    return bool(session.scalar(select(exists().where(OutboxMessage.key == key))))


def record_marker(
    session: Session, event: Event, post: PlannedPost, *, now: datetime, text: str
) -> None:
    """Record a fan-out job (DMs, group posts, housekeeping) as done under its own key."""
    message_id = outbox.enqueue(
        session,
        key=post.key,
        channel=MARKER_CHANNEL,
        text=text,
        kind=str(post.kind),
        event_id=event.id,
        now=now,
    )
    if message_id is not None:
        outbox.finish(session, message_id, status=OutboxStatus.SENT, now=now)


def record_missed(session: Session, event: Event, post: PlannedPost, *, now: datetime) -> bool:
    """A post that was due too long ago: recorded as 'missed' for the coordinators, never sent."""
    if is_done(session, post.key):
        return False
    late = now - post.due
    message_id = outbox.enqueue(
        session,
        key=post.key,
        channel=post.channel or str(post.audience),
        kind=str(post.kind),
        text=f"missed ({int(late.total_seconds() // 60)} min late)",
        event_id=event.id,
        now=now,
        due_at=post.due,
    )
    if message_id is None:
        return False
    outbox.finish(
        session,
        message_id,
        status=OutboxStatus.MISSED,
        now=now,
        error=f"due {post.due.isoformat()}, {late} late",
    )
    logger.warning("Post %s missed (%s late)", post.key, late)
    return True


@dataclass
class Due:
    """A planned post that is due now and not yet done."""

    event: Event
    definition: EventDefinition
    post: PlannedPost


def prepare(
    session: Session, *, key: str, now: datetime, grace: timedelta, retention_days: int = 30
) -> Due | PostResult:
    """The post `key` if it should run now; else why not (gone, edited away, done, missed)."""
    from bot.schedule.plan import slug_of_key

    event = get_event(session, slug_of_key(key))
    if event is None or event.purged_at is not None:
        return PostResult(skipped="event gone")
    definition = definition_of(event)
    post = find_post(definition, key, retention_days=retention_days)
    if post is None:
        return PostResult(skipped="no longer planned")
    if is_done(session, key):
        return PostResult(skipped="already done")
    if now - post.due > grace:
        return PostResult(missed=record_missed(session, event, post, now=now))
    return Due(event, definition, post)


def run_post(
    session: Session, *, key: str, now: datetime, grace: timedelta, retention_days: int = 30
) -> PostResult:
    """Render and record the planned post `key` of its event (once, whatever happens)."""
    due = prepare(session, key=key, now=now, grace=grace, retention_days=retention_days)
    if isinstance(due, PostResult):
        return due
    event, definition, post = due.event, due.definition, due.post
    if post.kind in SLACK_SIDE_KINDS:
        raise ValueError(f"{key} needs Slack calls: run it with handlers.group_channels")
    handler = _HANDLERS[post.kind]
    produced = handler(session, event, definition, post, now)
    ids = [i for i in produced if isinstance(i, int)]  # recorded already (join_link_for)
    messages = [m for m in produced if isinstance(m, dict)]
    ids += outbox.enqueue_many(session, messages, now=now, kind=str(post.kind), event_id=event.id)
    if post.audience != Audience.CHANNEL:
        record_marker(session, event, post, now=now, text=f"{len(ids)} messages")
    return PostResult(ids)


def _enqueue(
    session: Session,
    event: Event,
    post: PlannedPost,
    now: datetime,
    *,
    key: str,
    channel: str,
    text: str,
    blocks: list | None = None,
) -> dict:
    """A message of the post, recorded by run_post together with the others (one statement)."""
    return {"key": key, "channel": channel, "text": text, "blocks": blocks}


def _deadline_reminder(session, event, definition, post, now):
    seats = max(event.seat_limit - event.registered_count, 0)
    text = texts.deadline_reminder(definition, seats)
    return [_enqueue(session, event, post, now, key=post.key, channel=post.channel, text=text)]


def _closed(session, event, definition, post, now):
    counts = {RegistrationStatus.REGISTERED: 0, RegistrationStatus.WAITLISTED: 0}
    for reg in registrations(session, event):
        counts[reg.status] = counts.get(reg.status, 0) + 1
    lang = definition.language
    try:  # the engine lives in bot.assignment (its own issue); drafting is optional here
        from bot.breakouts import service as breakouts

        with session.begin_nested():  # a failed draft must not spoil the close
            drafted = breakouts.draft(session, slug=event.slug, now=now)
        note = t("sched.closed.drafted", lang, version=drafted.version)
    except Exception as exc:  # noqa: BLE001 - closing must go on; coordinators are told why
        logger.exception("Drafting the assignment of %s failed", event.slug)
        note = t("sched.closed.no_engine", lang, error=type(exc).__name__)
    text = texts.closed(
        definition,
        counts[RegistrationStatus.REGISTERED],
        counts[RegistrationStatus.WAITLISTED],
        note,
    )
    return [
        _enqueue(session, event, post, now, key=f"{post.key}:{user}", channel=user, text=text)
        for user in definition.coordinators.users
    ]


def _join_link_message(
    session: Session,
    event: Event,
    definition: EventDefinition,
    user_id: str,
    locale: str,
    placed: dict[str, str] | None = None,
) -> dict:
    lang = normalise_language(locale)
    if placed is None:
        placed = placements_of(session, event)
    group = definition.group(placed[user_id]) if user_id in placed else None
    groups = [group.name] if group else []
    return {
        "key": f"{PostKind.JOIN_LINK}:{event.slug}:{user_id}",
        "channel": user_id,
        "text": texts.join_link(definition, lang, groups),
    }


def join_link_for(
    session: Session,
    event: Event,
    definition: EventDefinition,
    user_id: str,
    locale: str,
    *,
    now: datetime,
) -> int | None:
    """The join-link DM of one registered person (also used when someone is promoted late)."""
    message = _join_link_message(session, event, definition, user_id, locale)
    return outbox.enqueue(
        session, **message, kind=str(PostKind.JOIN_LINK), event_id=event.id, now=now
    )


def _join_links(session, event, definition, post, now):
    ids = []
    position = 0
    placed = placements_of(session, event)
    for reg in registrations(session, event):
        if reg.status == RegistrationStatus.REGISTERED:
            ids.append(
                _join_link_message(session, event, definition, reg.user_id, reg.locale, placed)
            )
        else:
            position += 1
            text = texts.waiting(definition, normalise_language(reg.locale), position)
            ids.append(
                _enqueue(
                    session,
                    event,
                    post,
                    now,
                    key=f"{post.key}:waiting:{reg.user_id}",
                    channel=reg.user_id,
                    text=text,
                )
            )
    return ids


def _morning(session, event, definition, post, now):
    text = texts.morning(definition)
    return [_enqueue(session, event, post, now, key=post.key, channel=post.channel, text=text)]


def _item(definition: EventDefinition, item_id: str | None):
    return next(item for iid, item in item_ids(definition) if iid == item_id)


def _reminder(session, event, definition, post, now):
    text = texts.reminder(definition, _item(definition, post.item_id), post.offset_minutes or 0)
    return [_enqueue(session, event, post, now, key=post.key, channel=post.channel, text=text)]


def _breakout(session, event, definition, post, now):
    item = _item(definition, post.item_id)
    placed = placements_of(session, event)
    if not placed:
        text = t("sched.breakout.none", definition.language, item=item.title)
        return [
            _enqueue(
                session, event, post, now, key=f"{post.key}:none:{user}", channel=user, text=text
            )
            for user in definition.coordinators.users
        ]
    by_group: dict[str, list[str]] = {}
    for user_id, group_key in placed.items():
        by_group.setdefault(group_key, []).append(user_id)
    ids = []
    created = channels_of(session, event)  # per-group channels, when the event asks for them
    for group in definition.groups:
        members = sorted(by_group.get(group.key, []))
        if not members:
            continue
        channel = created.get(group.key) or group.channel or post.channel
        text = texts.breakout_group(definition, item, group.name, members)
        ids.append(
            _enqueue(
                session,
                event,
                post,
                now,
                key=f"{post.key}:group:{group.key}",
                channel=channel,
                text=text,
            )
        )
    locales = {r.user_id: r.locale for r in registrations(session, event)}
    for user_id, group_key in sorted(placed.items()):
        group = definition.group(group_key)
        group_channel = created.get(group_key) or (group.channel if group else None)
        link = f"<#{group_channel}>" if group_channel else definition.join_url
        lang = normalise_language(locales.get(user_id, definition.language))
        text = texts.breakout_dm(definition, item, lang, group.name if group else group_key, link)
        ids.append(
            _enqueue(
                session, event, post, now, key=f"{post.key}:{user_id}", channel=user_id, text=text
            )
        )
    return ids


def _feedback(session, event, definition, post, now):
    ids = []
    for reg in registrations(session, event, status=RegistrationStatus.REGISTERED):
        text = texts.feedback(definition, normalise_language(reg.locale))
        blocks = build_feedback_question(text, event.slug)
        ids.append(
            _enqueue(
                session,
                event,
                post,
                now,
                key=f"{post.key}:{reg.user_id}",
                channel=reg.user_id,
                text=text,
                blocks=blocks,
            )
        )
    return ids


def _purge(session, event, definition, post, now):
    from bot.schedule.retention import purge_event

    purge_event(session, event, now=now)
    return []


_HANDLERS = {
    PostKind.DEADLINE_REMINDER: _deadline_reminder,
    PostKind.REGISTRATION_CLOSED: _closed,
    PostKind.JOIN_LINK: _join_links,
    PostKind.MORNING: _morning,
    PostKind.ITEM_REMINDER: _reminder,
    PostKind.BREAKOUT: _breakout,
    PostKind.FEEDBACK: _feedback,
    PostKind.PURGE: _purge,
}
assert set(_HANDLERS) | SLACK_SIDE_KINDS == set(PostKind)


def record_missed_key(
    session: Session, *, key: str, now: datetime, retention_days: int = 30
) -> bool:
    """The scheduler skipped job `key` (past its grace): record its post as missed."""
    from bot.schedule.plan import slug_of_key

    event = get_event(session, slug_of_key(key))
    if event is None:
        return False
    post = find_post(definition_of(event), key, retention_days=retention_days)
    return post is not None and record_missed(session, event, post, now=now)
