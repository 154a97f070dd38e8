"""What is stored about a person (GDPR right of access): every field, for each event."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.events.schema import EventDefinition
from bot.events.service import definition_of
from bot.events.texts import group_names
from bot.i18n import t
from bot.registration.lookup import stored_registrations, waitlist_position
from bot.schedule.audience import placements_of
from bot.timefmt import format_datetime
from storage.models import FeedbackAnswer, OutboxMessage, Pin, RegistrationStatus


def describe_stored(session: Session, *, user_id: str, lang: str) -> str | None:
    """Every stored field about user_id, event by event; None when nothing is stored."""
    stored = stored_registrations(session, user_id=user_id)
    if not stored:
        return None
    parts = [t("truth.mydata.head", lang, user=user_id)]
    none = t("reg.summary.none", lang)
    for event, reg in stored:
        definition = definition_of(event)
        tz = definition.timezone

        def when(moment, tz=tz):  # noqa: ANN001, ANN202
            return format_datetime(moment, tz, lang) if moment else none

        group_key = placements_of(session, event).get(user_id)
        group = definition.group(group_key) if group_key else None
        pin = session.scalars(
            select(Pin.group_key).where(Pin.event_id == event.id, Pin.user_id == user_id)
        ).first()
        score = session.scalar(
            select(FeedbackAnswer.score).where(
                FeedbackAnswer.event_id == event.id, FeedbackAnswer.user_id == user_id
            )
        )
        messages = session.scalar(
            select(func.count()).where(
                OutboxMessage.event_id == event.id, OutboxMessage.channel == user_id
            )
        )
        position = waitlist_position(session, reg)
        status = t(f"export.status.{reg.status}", lang)
        if reg.status == RegistrationStatus.WAITLISTED:
            status += f" ({position})"
        parts.append(
            t(
                "truth.mydata.event",
                lang,
                title=definition.title,
                status=status,
                queue=reg.queue_no,
                name=reg.name,
                organisation=reg.organisation,
                role=reg.role or none,
                email=reg.email or none,
                choices=group_names(definition, tuple(reg.preferences), lang),
                comment=reg.comment or none,
                group=group.name if group else none,
                pinned=_group_name(definition, pin) or none,
                feedback=score if score is not None else none,
                language=reg.locale,
                consent=when(reg.consent_at),
                created=when(reg.created_at),
                updated=when(reg.updated_at),
                cancelled=when(reg.cancelled_at),
                messages=messages or 0,
                slug=definition.slug,
            )
        )
    parts.append(t("truth.mydata.tail", lang))
    return "\n\n".join(parts)


def _group_name(definition: EventDefinition, key: str | None) -> str:
    group = definition.group(key) if key else None
    return group.name if group else ""
