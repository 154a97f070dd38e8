"""The scheduled post at each `regroup` agenda item: per focus area a summary of every group's
notes in the event channel, and the full text to each coordinator by DM."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import outbox
from bot.events.schema import AgendaKind, EventDefinition
from bot.schedule.audience import placements_of
from bot.schedule.plan import PlannedPost, item_ids
from bot.workshop.notes import notes_by_group
from bot.workshop.summaries import area_summary, full_text
from storage.models import Event


def members_by_group(session: Session, event: Event) -> dict[str, list[str]]:
    """group key -> its members in the published assignment (sorted user ids)."""
    members: dict[str, list[str]] = {}
    for user_id, group_key in placements_of(session, event).items():
        members.setdefault(group_key, []).append(user_id)
    return {key: sorted(users) for key, users in members.items()}


def is_last_regroup(definition: EventDefinition, item_id: str | None) -> bool:
    """Whether this is the day's last regroup (the one that includes the next steps)."""
    regroups = [iid for iid, item in item_ids(definition) if item.kind == AgendaKind.REGROUP]
    return bool(regroups) and regroups[-1] == item_id


def regroup_messages(
    session: Session, event: Event, definition: EventDefinition, post: PlannedPost, now: datetime
) -> list[dict]:
    """The channel summaries (one per focus area) and the coordinators' full text."""
    if not definition.workshop.questions:
        return []
    members = members_by_group(session, event)
    if not members:
        return []
    item = next(item for iid, item in item_ids(definition) if iid == post.item_id)
    notes = notes_by_group(session, event)
    last = is_last_regroup(definition, post.item_id)
    messages = []
    for area in definition.focus_areas:
        text = area_summary(definition, area, notes, members, item_title=item.title,
                            with_next_steps=last)  # fmt: skip
        if text is not None:
            key = f"{post.key}:area:{area.key}"
            messages.append({"key": key, "channel": post.channel, "text": text, "blocks": None})
    full = full_text(definition, notes, members, item_title=item.title)
    c = definition.coordinators  # a user group is resolved by the delivery worker when sent
    for user in outbox.coordinator_recipients(c.users, c.usergroup):
        for n, text in enumerate(full, start=1):
            key = f"{post.key}:{n}:{user}"
            messages.append({"key": key, "channel": user, "text": text, "blocks": None})
    return messages
