"""The scheduler tests' event helper works at any hour, midnight included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.schedule import relative_event


@pytest.mark.parametrize("hour_utc", [0, 11, 21, 22, 23])
def test_items_fall_due_at_the_same_instants_whatever_the_hour(hour_utc):
    now = datetime(2026, 11, 30, hour_utc, 45, tzinfo=UTC)
    offsets = [-20 * 60, 3, 3600, 3800]
    definition = relative_event("any-hour", now, offsets, closes_in=1800)
    due = sorted(
        datetime.combine(definition.date, item.start, tzinfo=definition.tz)
        for item in definition.agenda
    )
    assert due == [(now + timedelta(seconds=s)).replace(microsecond=0) for s in offsets]
