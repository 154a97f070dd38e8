"""Messages this instance was sending when it died: resolved at its next start, told truthfully.

A row claimed ('sending') by this instance before it started again was cut off between the claim
and recording Slack's answer. Whether Slack showed it cannot be known afterwards, so it becomes
'unknown' (never re-sent on its own: a second copy is worse than a gap) and the event's
coordinators get one DM naming the recipients. Broadcast rows are reported in the broadcast's own
progress DM (with a button to send them again), and a lost report is not reported again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import outbox_sending
from bot.events.coordinator_dms import FAULT_KIND, tell_coordinators
from bot.events.service import definition_of
from bot.i18n import t
from storage.models import Event

# Reported elsewhere (broadcast progress DM) or never (a report about a report).
NOT_REPORTED = ("broadcast", FAULT_KIND)


def _shown(target: str) -> str:
    return f"<@{target}>" if target[:1] in ("U", "W") else target


def resolve_own_interrupted(
    session: Session, *, instance: str, started_at: datetime, now: datetime
) -> tuple[int, list[int]]:
    """Mark this instance's interrupted rows unknown; (how many, the report DMs' outbox ids)."""
    rows = outbox_sending.mark_own_interrupted(
        session, instance=instance, claimed_before=started_at
    )
    targets: dict[int, list[str]] = {}
    for row in rows:
        if row.event_id is not None and row.kind not in NOT_REPORTED:
            targets.setdefault(row.event_id, []).append(row.channel)
    report_ids: list[int] = []
    for event_id, channels in targets.items():
        event = session.get(Event, event_id)
        if event is None:
            continue
        lang = definition_of(event).language
        listed = "\n".join(f"• {_shown(c)}" for c in channels[:30])
        text = t("bad_input.interrupted", lang, n=len(channels), targets=listed)
        key = f"interrupted:{event.slug}:{instance}:{started_at.isoformat()}"
        report_ids += tell_coordinators(session, event, text, key, now)
    return len(rows), report_ids
