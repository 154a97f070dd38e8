"""At start: resolve what this instance was sending when it died (bot/schedule/interrupted.py),
at once rather than when a new scheduler leader looks after five minutes."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.clock import Clock
from bot.schedule.interrupted import resolve_own_interrupted
from storage.db import Database
from workers.delivery import Deliverer
from workers.inbox import INBOX_INSTANCE_SUFFIX
from workers.services import Services

logger = logging.getLogger(__name__)


def resolve_at_start(services: Services) -> int:
    """Mark this instance's interrupted rows unknown and tell the coordinators; returns how many.
    With the inbox in this process, also those an inbox process of an earlier start left (with
    an inbox process, that process resolves its own when it starts: runtime/inbox_process.py)."""
    own = services.deliverer.instance
    if not own:
        return 0
    names = [own] if services.settings.inbox_process else [own, own + INBOX_INSTANCE_SUFFIX]
    return sum(
        resolve_interrupted(services.db, services.deliverer, services.clock, instance=instance)
        for instance in names
    )


def resolve_interrupted(
    db: Database, deliverer: Deliverer, clock: Clock, *, instance: str | None = None
) -> int:
    """The same for one instance name (default: the deliverer's), sending the reports through
    the deliverer; rows claimed since the deliverer started are left alone."""
    instance = instance or deliverer.instance
    if not instance:
        return 0
    with db.transaction() as session:
        count, report_ids = resolve_own_interrupted(
            session,
            instance=instance,
            started_at=deliverer.started_at,
            now=clock.now(),
        )
    if count:
        logger.warning(
            "%s messages were cut off mid-send when instance %s stopped; marked unknown",
            count,
            instance,
        )
    deliverer.deliver(report_ids)
    return count


def start(services: Services) -> Callable[[], None]:
    """Background entry for runtime.serve.BACKGROUND: runs once, before serving; nothing to stop."""
    try:
        resolve_at_start(services)
    except Exception:
        logger.exception("Failed to resolve messages interrupted at the last stop")
    return lambda: None
