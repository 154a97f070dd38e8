"""What each kind of planned post says and to whom: one function per kind, returning the
messages (key, channel, text, blocks) that bot.schedule.posts records in the outbox at once.

Every post is in the event's language (the issue's rule), DMs included; a person's Slack locale
is kept for the registration dialogue only.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from bot import outbox
from bot.blocks.review import build_drafted_dm
from bot.blocks.schedule_messages import build_feedback_question
from bot.blocks.workshop import build_breakout_post, build_join_blocks
from bot.events.schema import EventDefinition
from bot.i18n import t
from bot.schedule import texts
from bot.schedule.audience import placements_of, registrations
from bot.schedule.follow_up import follow_up_messages
from bot.schedule.group_channels import channels_of
from bot.schedule.plan import SLACK_SIDE_KINDS, PlannedPost, PostKind, item_ids
from bot.schedule.regroup import regroup_messages
from storage.models import Event, RegistrationStatus

logger = logging.getLogger(__name__)


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


def _coordinators(definition: EventDefinition) -> list[str]:
    """The listed coordinators and their user group (resolved when sent)."""
    c = definition.coordinators
    return outbox.coordinator_recipients(c.users, c.usergroup)


def _deadline_reminder(session, event, definition, post, now):
    seats = max(event.seat_limit - event.registered_count, 0)
    text = texts.deadline_reminder(definition, seats)
    return [_enqueue(session, event, post, now, key=post.key, channel=post.channel, text=text)]


def _closed(session, event, definition, post, now):
    counts: dict[str, int] = {RegistrationStatus.REGISTERED: 0, RegistrationStatus.WAITLISTED: 0}
    for reg in registrations(session, event):
        counts[reg.status] = counts.get(reg.status, 0) + 1
    lang = definition.language
    try:  # the engine lives in bot.assignment (its own issue); drafting is optional here
        from bot.breakouts import service as breakouts

        with session.begin_nested():  # a failed draft must not spoil the close
            drafted = breakouts.draft(session, slug=event.slug, now=now)
        note = t("sched.closed.drafted", lang, version=drafted.version)
        review = True
    except Exception as exc:  # noqa: BLE001 - closing must go on; coordinators are told why
        logger.exception("Drafting the assignment of %s failed", event.slug)
        note = t("sched.closed.no_engine", lang, error=type(exc).__name__)
        review = False
    text = texts.closed(
        definition,
        counts[RegistrationStatus.REGISTERED],
        counts[RegistrationStatus.WAITLISTED],
        note,
    )
    blocks = build_drafted_dm(text, event.slug, lang) if review else None  # "Granska grupperna"
    return [
        _enqueue(
            session, event, post, now, key=f"{post.key}:{user}", channel=user, text=text,
            blocks=blocks,
        )
        for user in _coordinators(definition)
    ]  # fmt: skip


def _join_link_message(
    session: Session,
    event: Event,
    definition: EventDefinition,
    user_id: str,
    placed: dict[str, str] | None = None,
) -> dict:
    lang = definition.language  # the event's language, whatever the person's locale
    if placed is None:
        placed = placements_of(session, event)
    group = definition.group(placed[user_id]) if user_id in placed else None
    groups = [group.name] if group else []
    text = texts.join_link(definition, lang, groups)
    return {
        "key": f"{PostKind.JOIN_LINK}:{event.slug}:{user_id}",
        "channel": user_id,
        "text": text,
        "blocks": build_join_blocks(text, definition),  # with "Läs mer" about the focus areas
    }


def join_link_for(
    session: Session,
    event: Event,
    definition: EventDefinition,
    user_id: str,
    *,
    now: datetime,
) -> int | None:
    """The join-link DM of one registered person (also used when someone is promoted late)."""
    message = _join_link_message(session, event, definition, user_id)
    return outbox.enqueue(
        session, **message, kind=str(PostKind.JOIN_LINK), event_id=event.id, now=now
    )


def _join_links(session, event, definition, post, now):
    ids = []
    position = 0
    placed = placements_of(session, event)
    for reg in registrations(session, event):
        if reg.status == RegistrationStatus.REGISTERED:
            ids.append(_join_link_message(session, event, definition, reg.user_id, placed))
        else:
            position += 1
            text = texts.waiting(definition, definition.language, position)
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


def _notes_blocks(definition: EventDefinition, text: str, group_key: str) -> list | None:
    """The breakout post with its "Gruppens anteckningar" button (when there are questions)."""
    if not definition.workshop.questions:
        return None
    return build_breakout_post(text, definition.slug, group_key, definition.language)


def _breakout(session, event, definition, post, now):
    item = _item(definition, post.item_id)
    placed = placements_of(session, event)
    if not placed:
        text = t("sched.breakout.none", definition.language, item=item.title)
        return [
            _enqueue(
                session, event, post, now, key=f"{post.key}:none:{user}", channel=user, text=text
            )
            for user in _coordinators(definition)
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
                blocks=_notes_blocks(definition, text, group.key),
            )
        )
    for user_id, group_key in sorted(placed.items()):
        group = definition.group(group_key)
        group_channel = created.get(group_key) or (group.channel if group else None)
        link = f"<#{group_channel}>" if group_channel else definition.join_url
        lang = definition.language
        text = texts.breakout_dm(definition, item, lang, group.name if group else group_key, link)
        ids.append(
            _enqueue(
                session,
                event,
                post,
                now,
                key=f"{post.key}:{user_id}",
                channel=user_id,
                text=text,
                blocks=_notes_blocks(definition, text, group_key),
            )
        )
    return ids


def _feedback(session, event, definition, post, now):
    ids = []
    for reg in registrations(session, event, status=RegistrationStatus.REGISTERED):
        text = texts.feedback(definition, definition.language)
        blocks = build_feedback_question(text, event.slug, definition.language)
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


HANDLERS = {
    PostKind.DEADLINE_REMINDER: _deadline_reminder,
    PostKind.REGISTRATION_CLOSED: _closed,
    PostKind.JOIN_LINK: _join_links,
    PostKind.MORNING: _morning,
    PostKind.ITEM_REMINDER: _reminder,
    PostKind.BREAKOUT: _breakout,
    PostKind.REGROUP: regroup_messages,
    PostKind.FEEDBACK: _feedback,
    PostKind.FOLLOW_UP: follow_up_messages,
    PostKind.PURGE: _purge,
}
assert set(HANDLERS) | SLACK_SIDE_KINDS == set(PostKind)
