"""The pure planner: every automatic post of an event, with a deterministic key and a due time.

The plan is what `python app.py schedule show SLUG` prints, what the coordinators see and what the
job store is synced from. A key names the post's meaning, not its time, so moving an agenda item
moves its job, and only the posts of an edited item change. Agenda items are keyed by a slug of
their title (unique within the event), so inserting an item does not renumber the others.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.events.schema import AgendaItem, AgendaKind, EventDefinition


class PostKind(StrEnum):
    DEADLINE_REMINDER = "deadline-reminder"
    REGISTRATION_CLOSED = "closed"
    JOIN_LINK = "joinlink"
    MORNING = "morning"
    ITEM_REMINDER = "reminder"
    BREAKOUT = "breakout"
    REGROUP = "regroup"  # the groups' notes: summaries in the channel, full text to coordinators
    FEEDBACK = "feedback"
    PURGE = "purge"
    GROUP_CHANNELS = "channels"  # create per-group channels and invite the members
    ARCHIVE_CHANNELS = "archive"  # archive them after the follow-up period
    DOCUMENTATION = "documentation"  # the day's .docx uploaded to each coordinator's DM
    FOLLOW_UP = "followup"  # weeks later: each participant's group's next steps, and support


SLACK_SIDE_KINDS = frozenset(
    {PostKind.GROUP_CHANNELS, PostKind.ARCHIVE_CHANNELS, PostKind.DOCUMENTATION}
)


class Audience(StrEnum):
    CHANNEL = "channel"  # one post in `channel`
    COORDINATORS = "coordinators"  # a DM to each coordinator
    PARTICIPANTS = "participants"  # a DM to each registered person (and waitlisted, join link)
    GROUPS = "groups"  # one post per group plus a DM per participant
    NOBODY = "nobody"  # housekeeping (retention)


@dataclass(frozen=True)
class PlannedPost:
    """One scheduled job: a post (or a fan-out of posts) due at one moment."""

    key: str
    kind: PostKind
    due: datetime  # aware, in the event's timezone
    audience: Audience
    channel: str | None = None
    item_id: str | None = None  # agenda item this post is about
    offset_minutes: int | None = None

    @property
    def slug(self) -> str:
        return slug_of_key(self.key)


def slug_of_key(key: str) -> str:
    """The event slug inside any key ('reminder:skelleftea-2021:incheckning:5')."""
    return key.split(":")[1]


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:32].strip("-") or "item"


def item_ids(definition: EventDefinition) -> list[tuple[str, AgendaItem]]:
    """(stable id, item) for the flat agenda; a repeated title gets -2, -3, ..."""
    seen: dict[str, int] = {}
    result = []
    for item in definition.flat_agenda():
        base = _slugify(item.title)
        seen[base] = seen.get(base, 0) + 1
        result.append((base if seen[base] == 1 else f"{base}-{seen[base]}", item))
    return result


def morning_at(definition: EventDefinition) -> datetime:
    """The morning post: `schedule.morning_post_at`, else 30 minutes before the first item."""
    if definition.schedule.morning_post_at:
        return definition.local(definition.schedule.morning_post_at)
    starts = [definition.local(i.start) for i in definition.flat_agenda()] or [definition.starts_at]
    return min(starts) - timedelta(minutes=30)


def join_link_at(definition: EventDefinition) -> datetime:
    """When the join links go out: the day before at the configured time (not before closing)."""
    day_before = definition.day_before(definition.schedule.join_link_day_before_at)
    return max(day_before, definition.closes_at.astimezone(definition.tz))


def _registration_posts(definition: EventDefinition) -> list[PlannedPost]:
    slug, tz = definition.slug, definition.tz
    posts = []
    for days in sorted(set(definition.schedule.deadline_reminder_days), reverse=True):
        due = (definition.closes_at - timedelta(days=days)).astimezone(tz)
        if due > definition.opens_at:
            posts.append(
                PlannedPost(
                    f"{PostKind.DEADLINE_REMINDER}:{slug}:{days}d",
                    PostKind.DEADLINE_REMINDER,
                    due,
                    Audience.CHANNEL,
                    definition.channel,
                    offset_minutes=days * 24 * 60,
                )
            )
    posts.append(
        PlannedPost(
            f"{PostKind.REGISTRATION_CLOSED}:{slug}",
            PostKind.REGISTRATION_CLOSED,
            definition.closes_at.astimezone(tz),
            Audience.COORDINATORS,
        )
    )
    join_at = join_link_at(definition)
    posts.append(
        PlannedPost(
            f"{PostKind.JOIN_LINK}:{slug}", PostKind.JOIN_LINK, join_at, Audience.PARTICIPANTS
        )
    )
    return posts


def _day_posts(definition: EventDefinition) -> list[PlannedPost]:
    slug = definition.slug
    posts = [
        PlannedPost(
            f"{PostKind.MORNING}:{slug}",
            PostKind.MORNING,
            morning_at(definition),
            Audience.CHANNEL,
            definition.channel,
        )
    ]
    for item_id, item in item_ids(definition):
        start = definition.local(item.start)
        channel = item.channel or definition.channel
        if item.kind != AgendaKind.SECTION:  # a section's parts are reminded, not the heading
            offsets = item.reminder_minutes
            if offsets is None:
                offsets = definition.schedule.default_reminder_minutes
            for offset in sorted(set(offsets), reverse=True):
                posts.append(
                    PlannedPost(
                        f"{PostKind.ITEM_REMINDER}:{slug}:{item_id}:{offset}",
                        PostKind.ITEM_REMINDER,
                        start - timedelta(minutes=offset),
                        Audience.CHANNEL,
                        channel,
                        item_id,
                        offset,
                    )
                )
        if item.kind == AgendaKind.BREAKOUT:
            posts.append(
                PlannedPost(
                    f"{PostKind.BREAKOUT}:{slug}:{item_id}",
                    PostKind.BREAKOUT,
                    start,
                    Audience.GROUPS,
                    channel,
                    item_id,
                )
            )
        if item.kind == AgendaKind.REGROUP and definition.workshop.questions:
            posts.append(
                PlannedPost(
                    f"{PostKind.REGROUP}:{slug}:{item_id}",
                    PostKind.REGROUP,
                    start,
                    Audience.COORDINATORS,  # and one post per focus area in `channel`
                    channel,
                    item_id,
                )
            )
    feedback_at = definition.ends_at + timedelta(minutes=definition.schedule.feedback_after_minutes)
    if definition.schedule.group_channels:
        posts.append(
            PlannedPost(
                f"{PostKind.GROUP_CHANNELS}:{slug}",
                PostKind.GROUP_CHANNELS,
                join_link_at(definition) - timedelta(minutes=1),
                Audience.GROUPS,
            )
        )
        keep = definition.follow_up.keep_channels_days  # open for the follow-up work
        posts.append(
            PlannedPost(
                f"{PostKind.ARCHIVE_CHANNELS}:{slug}",
                PostKind.ARCHIVE_CHANNELS,
                max(definition.ends_at + timedelta(days=keep), feedback_at),
                Audience.NOBODY,
            )
        )
    posts.append(
        PlannedPost(
            f"{PostKind.FEEDBACK}:{slug}", PostKind.FEEDBACK, feedback_at, Audience.PARTICIPANTS
        )
    )
    return posts + _follow_up_posts(definition, feedback_at)


def _follow_up_posts(definition: EventDefinition, feedback_at: datetime) -> list[PlannedPost]:
    """The documentation for the coordinators and the follow-up DM (when there are questions)."""
    if not definition.workshop.questions:
        return []
    slug, follow_up = definition.slug, definition.follow_up
    posts = [
        PlannedPost(
            f"{PostKind.DOCUMENTATION}:{slug}",
            PostKind.DOCUMENTATION,
            feedback_at + timedelta(minutes=follow_up.documentation_after_minutes),
            Audience.COORDINATORS,
        )
    ]
    if follow_up.after_days:
        posts.append(
            PlannedPost(
                f"{PostKind.FOLLOW_UP}:{slug}",
                PostKind.FOLLOW_UP,
                definition.ends_at + timedelta(days=follow_up.after_days),
                Audience.PARTICIPANTS,
            )
        )
    return posts


def plan_posts(
    definition: EventDefinition, now: datetime | None = None, *, retention_days: int = 30
) -> list[PlannedPost]:
    """Every post of the event in due order (only those due at or after `now`, if given)."""
    days = definition.retention_days if definition.retention_days is not None else retention_days
    purge = PlannedPost(
        f"{PostKind.PURGE}:{definition.slug}",
        PostKind.PURGE,
        definition.ends_at + timedelta(days=days),
        Audience.NOBODY,
    )
    posts = [*_registration_posts(definition), *_day_posts(definition), purge]
    # a purged event runs no more jobs: archive its group channels before the purge, at the latest
    posts = [
        replace(p, due=min(p.due, purge.due - timedelta(minutes=1)))
        if p.kind == PostKind.ARCHIVE_CHANNELS
        else p
        for p in posts
    ]
    posts.sort(key=lambda p: (p.due, p.key))
    if now is not None:
        posts = [p for p in posts if p.due >= now]
    return posts


def find_post(
    definition: EventDefinition, key: str, *, retention_days: int = 30
) -> PlannedPost | None:
    """The planned post with this key (None when an edit removed it)."""
    return next(
        (p for p in plan_posts(definition, retention_days=retention_days) if p.key == key), None
    )
