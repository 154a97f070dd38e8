"""The registration card in a channel, recorded in the outbox like every other post."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import outbox
from bot.blocks.card import build_card
from bot.events.service import definition_of
from bot.i18n import t
from storage.models import Event


def record_card(
    session: Session, event: Event, *, channel: str, request_id: str, mail_enabled: bool,
    now: datetime,
) -> list[int]:  # fmt: skip
    """One card per request (a retried slash command posts nothing twice)."""
    definition = definition_of(event)
    lang = definition.language
    message_id = outbox.enqueue(
        session,
        key=f"card:{event.slug}:{channel}:{request_id}",
        channel=channel,
        text=t("around.card.text", lang, title=definition.title),
        blocks=build_card(definition, lang=lang, mail_enabled=mail_enabled),
        kind="card",
        event_id=event.id,
        now=now,
    )
    return [message_id] if message_id else []
