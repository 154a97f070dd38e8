"""Posting the registration card (/samordna kort): recorded in the outbox, then delivered."""

from __future__ import annotations

from bot.events.service import get_event
from bot.intake.card import record_card
from workers.services import Services


def post_card(services: Services, *, slug: str, channel: str, request_id: str) -> None:
    """Record the card once per request and send it (a refused post reaches the coordinators
    through the outbox's fault report)."""
    with services.db.transaction() as session:
        event = get_event(session, slug)
        assert event is not None  # the command's event was just found
        ids = record_card(session, event, channel=channel, request_id=request_id,
                          mail_enabled=services.settings.mail_enabled,
                          now=services.clock.now())  # fmt: skip
    services.deliverer.deliver(ids)
