"""Per-group channels in Slack: created and members invited before the day, archived after it.

The decisions and records live in bot.schedule.group_channels; here are only the Web API calls.
A channel is recorded as soon as Slack created it, so a re-run invites into the same channel and
never creates a second one. Failures are reported to the coordinators; the schedule goes on.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.events.schema import EventDefinition
from bot.schedule import posts
from bot.schedule.audience import placements_of
from bot.schedule.faults import report_problem
from bot.schedule.group_channels import (
    channel_name,
    channels_of,
    record_archived,
    record_created,
    record_done,
)
from bot.schedule.plan import PostKind
from storage.models import Event
from workers.services import Services

logger = logging.getLogger(__name__)
HARMLESS = frozenset({"already_in_channel", "already_archived", "cant_invite_self"})


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or exc.response.status_code)


def run_channel_job(services: Services, key: str) -> posts.PostResult:
    """Carry out a `channels:` or `archive:` job of the planner."""
    now = services.clock.now()
    with services.db.transaction() as session:
        due = posts.prepare(
            session,
            key=key,
            now=now,
            grace=_grace(services),
            retention_days=services.settings.retention_days,
        )
        if isinstance(due, posts.PostResult):
            return due
        if due.post.kind == PostKind.GROUP_CHANNELS:
            report = _open(services.client, session, due.event, due.definition, now)
        else:
            report = _archive(services.client, session, due.event, now)
        record_done(session, due.event, key=key, text=report, now=now)
    services.deliverer.deliver_due()  # problem reports, if any
    return posts.PostResult()


def _grace(services: Services):
    from workers.schedule_jobs import grace_of

    return grace_of(services)


def _open(
    client: WebClient, session, event: Event, definition: EventDefinition, now: datetime
) -> str:
    existing = channels_of(session, event)
    members: dict[str, list[str]] = {}
    for user_id, group_key in placements_of(session, event).items():
        members.setdefault(group_key, []).append(user_id)
    created = invited = 0
    for group in definition.groups:
        users = sorted(members.get(group.key, []))
        if not users:
            continue
        channel_id = existing.get(group.key)
        try:
            if channel_id is None:
                answer = client.conversations_create(name=channel_name(event.slug, group.key))
                channel_id = answer["channel"]["id"]
                record_created(session, event, group_key=group.key, channel_id=channel_id, now=now)
                created += 1
            client.conversations_invite(channel=channel_id, users=",".join(users))
            invited += len(users)
        except SlackApiError as exc:
            if _error(exc) in HARMLESS:
                continue
            logger.warning("Group channel for %s/%s: %s", event.slug, group.key, _error(exc))
            report_problem(
                session,
                event,
                error=_error(exc),
                target=channel_id or channel_name(event.slug, group.key),
                now=now,
            )
    return f"{created} channels created, {invited} members invited"


def _archive(client: WebClient, session, event: Event, now: datetime) -> str:
    archived = 0
    for group_key, channel_id in channels_of(session, event).items():
        try:
            client.conversations_archive(channel=channel_id)
        except SlackApiError as exc:
            if _error(exc) not in HARMLESS:
                report_problem(session, event, error=_error(exc), target=channel_id, now=now)
                continue
        record_archived(session, event, group_key=group_key, now=now)
        archived += 1
    return f"{archived} channels archived"
