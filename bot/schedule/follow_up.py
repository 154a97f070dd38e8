"""The follow-up DM, weeks after the day: each participant's group's next steps and contact,
and where to get support for developing the ideas and applying for funding (event file)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.events.schema import EventDefinition
from bot.events.workshop_schema import QuestionRole
from bot.i18n import t
from bot.schedule.audience import placements_of, registrations
from bot.schedule.group_channels import channels_of
from bot.schedule.plan import PlannedPost
from bot.workshop.notes import GroupNotes, notes_by_group
from storage.models import Event


def follow_up_text(
    definition: EventDefinition, group_name: str, notes: GroupNotes, channel: str | None
) -> str:
    """The DM of one participant (in the event's language)."""
    lang = definition.language
    lines = [t("workshop.followup.intro", lang, title=definition.title, group=group_name)]
    workshop = definition.workshop
    written = [
        (q.label, notes[q.key].text)
        for q in [*workshop.with_role(QuestionRole.NEXT_STEPS),
                  *workshop.with_role(QuestionRole.CONTACT)]
        if q.key in notes
    ]  # fmt: skip
    if written:
        lines += [f"*{label}*\n{text}" for label, text in written]
    else:
        lines.append(t("workshop.followup.no_steps", lang))
    if channel:
        lines.append(t("workshop.followup.channel", lang, channel=channel))
    if definition.follow_up.support:
        lines.append(t("workshop.followup.support", lang, support=definition.follow_up.support))
    return "\n\n".join(lines)


def follow_up_messages(
    session: Session, event: Event, definition: EventDefinition, post: PlannedPost, now: datetime
) -> list[dict]:
    """One DM per placed participant who is still registered (purged events send nothing)."""
    notes = notes_by_group(session, event)
    open_channels = channels_of(session, event)  # not archived yet
    registered = {r.user_id for r in registrations(session, event, status="registered")}
    messages = []
    for user_id, group_key in sorted(placements_of(session, event).items()):
        if user_id not in registered:
            continue
        group = definition.group(group_key)
        name = group.name if group else group_key
        channel = open_channels.get(group_key)
        text = follow_up_text(definition, name, notes.get(group_key, {}),
                              f"<#{channel}>" if channel else None)  # fmt: skip
        messages.append({"key": f"{post.key}:{user_id}", "channel": user_id, "text": text,
                         "blocks": None})  # fmt: skip
    return messages
