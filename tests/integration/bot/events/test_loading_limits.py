"""Event files that load but would misbehave on the day are refused, naming the field and line."""

from __future__ import annotations

import pytest

from bot.events.loading import EventFileError, load_event_file, parse_event
from tests.conftest import EXAMPLE, SECOND_EXAMPLE


def _broken(replace: str, by: str) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert replace in text
    return text.replace(replace, by, 1)


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


CASES = [
    pytest.param(
        '  - {start: "11:25", end: "11:45"',
        '  - {start: "11:25", end: "12:15"',
        "agenda.6",
        "outside the day",
        '"12:15"',
        id="agenda-item-ends-after-the-day",
    ),
    pytest.param(
        'start: "08:30"\n    end: "08:40"',
        'start: "07:00"\n    end: "08:40"',
        "agenda.1",
        "outside the day",
        '"07:00"',
        id="agenda-item-starts-before-the-day",
    ),
    pytest.param(
        "deadline_reminder_days: [3, 1]",
        "deadline_reminder_days: [3, -1]",
        "schedule.deadline_reminder_days.1",
        "greater than or equal to 0",
        "deadline_reminder_days",
        id="negative-deadline-reminder-days",
    ),
    pytest.param(
        "default_reminder_minutes: [5]",
        "default_reminder_minutes: [-5]",
        "schedule.default_reminder_minutes.0",
        "greater than or equal to 0",
        "default_reminder_minutes",
        id="negative-reminder-minutes",
    ),
    pytest.param(
        "default_reminder_minutes: [5]",
        "default_reminder_minutes: [20161]",
        "schedule.default_reminder_minutes.0",
        "less than or equal to 10080",
        "default_reminder_minutes",
        id="reminder-minutes-over-a-week",
    ),
    pytest.param(
        "  join_link_day_before_at",
        "  deadline_reminder_days: [7]\n  join_link_day_before_at",
        "schedule.deadline_reminder_days",
        "duplicate key",
        "deadline_reminder_days: [7]",
        id="duplicated-yaml-key",
    ),
]


@pytest.mark.parametrize(("replace", "by", "field", "message", "line_with"), CASES)
def test_refused_with_field_and_line(replace, by, field, message, line_with):
    text = _broken(replace, by)
    with pytest.raises(EventFileError) as caught:
        parse_event(text, "event.yaml")
    problem = next((p for p in caught.value.problems if p.field == field), None)
    assert problem is not None, [str(p) for p in caught.value.problems]
    assert message.lower() in problem.message.lower()
    assert problem.line == _line(text, line_with)


def test_agenda_item_reminder_minutes_are_bounded_too():
    text = _broken("kind: checkin, title: Incheckning}", "kind: checkin, title: Incheckning, "
                   "reminder_minutes: [-1]}")  # fmt: skip
    with pytest.raises(EventFileError) as caught:
        parse_event(text, "event.yaml")
    assert [p.field for p in caught.value.problems] == ["agenda.0.reminder_minutes.0"]


def test_the_examples_still_load():
    load_event_file(EXAMPLE)
    load_event_file(SECOND_EXAMPLE)
