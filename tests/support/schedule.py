"""Events whose posts fall due seconds from now, for tests of the real scheduler."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.events.schema import EventDefinition

BASE: dict[str, Any] = {
    "title": "Testdag",
    "timezone": "Europe/Stockholm",
    "language": "sv",
    "channel": "#testdag",
    "join_url": "https://example.zoom.us/j/1",
    "coordinators": {"users": ["U0COORD01"]},
    "focus_areas": [
        {"key": "fa", "name": "Fokus", "groups": [{"key": "g1", "name": "Grupp 1", "max_size": 50}]}
    ],
}


TIMEZONES = (BASE["timezone"], "America/New_York", "Asia/Tokyo")  # 6 and 8 hours apart


def relative_event(
    slug: str,
    now: datetime,
    item_offsets: list[float],
    *,
    reminder_minutes: int = 0,
    closes_in: float | None = None,
) -> EventDefinition:
    """An event today whose agenda items start `item_offsets` seconds after now (local time).

    Registration closes `closes_in` seconds from now (default: just before the first item), so
    deadline reminders, the join link and the morning post are already past (or very near).
    """
    # An event's agenda lies within one local day. Near midnight (these tests run on the wall
    # clock) the same instants are taken in another zone where they do not cross it: the
    # scheduler works on instants, so the posts fall due at exactly the same moments.
    for zone in TIMEZONES:
        local = now.astimezone(ZoneInfo(zone))
        starts = [(local + timedelta(seconds=s)).replace(microsecond=0) for s in item_offsets]
        first, last = min(starts), max(starts) + timedelta(minutes=1)
        if first.date() == last.date():
            break
    closes = local + timedelta(seconds=closes_in if closes_in is not None else -60)
    agenda = [
        {
            "start": s.time().isoformat(),
            "end": (s + timedelta(seconds=30)).time().isoformat(),
            "title": f"Punkt {i + 1}",
            "reminder_minutes": [reminder_minutes],
        }
        for i, s in enumerate(starts)
    ]
    data = {
        **BASE,
        "timezone": zone,
        "slug": slug,
        "date": first.date().isoformat(),
        "start_time": first.time().isoformat(),
        "end_time": last.time().isoformat(),
        "registration": {
            "opens": (local - timedelta(days=1)).replace(tzinfo=None).isoformat(),
            "closes": min(closes, first).replace(tzinfo=None).isoformat(),
            "seat_limit": 10,
        },
        "agenda": agenda,
        "schedule": {"feedback_after_minutes": 60},
    }
    return EventDefinition.model_validate(data)
