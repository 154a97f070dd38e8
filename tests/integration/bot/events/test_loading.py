"""Event files: the seed example exactly, and errors that name the field and the line."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.events.loading import EventFileError, load_event_file, parse_event
from tests.conftest import EXAMPLE, ROOT, SECOND_EXAMPLE

SEED_PROGRAM = [
    ("08:15", "08:30", "Incheckning"),
    ("08:30", "08:40", "Inledning: Varför har vi ett strategiskt partnerskap?"),
    (
        "08:40",
        "08:55",
        "Presentation av fokusområden: Vilka är våra tre fokusområden och varför just dessa?",
    ),  # noqa: E501
    ("08:55", "09:10", "Finansieringsfrågor: Vilka olika källor till finansiering finns?"),
    ("09:10", "09:30", "Paus: Inslag från Nordiskt berättarcentrum"),
    ("09:30", "11:25", "Workshop"),
    ("09:30", "09:35", "Introduktion till gruppdiskussioner"),
    ("09:35", "10:10", "Samtal i föranmälda grupper om hur vi kan utveckla vår samverkan"),
    ("10:10", "10:25", "Återsamling och kort summering från samtliga grupper"),
    ("10:25", "10:45", "Paus med inslag från Nordiskt berättarcentrum"),
    ("10:45", "11:05", "Fortsatt gruppdiskussion: Vad blir nästa steg?"),
    ("11:05", "11:25", "Återsamling och sammanfattning av samtliga gruppdiskussioner"),
    ("11:25", "11:45", "Summering av dagen och hur vi går vidare"),
]


def test_seed_example_reproduces_the_event_page():
    event = load_event_file(EXAMPLE)
    program = [(f"{i.start:%H:%M}", f"{i.end:%H:%M}", i.title) for i in event.flat_agenda()]
    assert program == SEED_PROGRAM
    assert event.closes_at == datetime(2021, 4, 16, 16, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert (event.start_time, event.end_time) == (time(8, 30), time(11, 45))
    assert [a.name for a in event.focus_areas] == [
        "Strategisk kompetensförsörjning",
        "Hållbar samhällsutveckling",
        "Artificiell Intelligens (AI)",
    ]
    assert [g.name for g in event.focus_areas[0].groups] == [
        "Diskussionsgrupp 1: Lärare – yrke och utbildning",
        "Diskussionsgrupp 2: Socionomer – yrke och utbildning",
        "Diskussionsgrupp 3: Sjuksköterskor – yrke och utbildning",
    ]


def test_second_example_is_another_partnership():
    event = load_event_file(SECOND_EXAMPLE)
    assert len(event.focus_areas) == 4
    assert event.slug != load_event_file(EXAMPLE).slug


def _broken(replace: str, by: str) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert replace in text
    return text.replace(replace, by, 1)


@pytest.mark.parametrize(
    ("replace", "by", "field", "message", "line_with"),
    [
        ('start_time: "08:30"', 'start_time: "25:00"', "start_time", "time", "25:00"),
        ("seat_limit: 120", "seat_limit: -3", "registration.seat_limit", "greater than", "-3"),
        (
            "timezone: Europe/Stockholm",
            "timezone: Europe/Skelleftea",
            "timezone",
            "unknown timezone",
            "Skelleftea",
        ),
        ("key: socionomer", "key: larare", "(event)", "unique", "slug:"),
        # a rule about the whole section points at the section
        (
            "closes: 2021-04-16 16:30",
            "closes: 2021-03-01 16:30",
            "registration",
            "closes before",
            "registration:",
        ),
        (
            "max_size: 30}",
            "max_size: 30, colour: red}",
            "focus_areas.1.groups.0.colour",
            "Extra",
            "colour",
        ),
    ],
)
def test_bad_fields_are_named_with_their_line(replace, by, field, message, line_with):
    text = _broken(replace, by)
    with pytest.raises(EventFileError) as caught:
        parse_event(text, "event.yaml")
    problem = next(p for p in caught.value.problems if p.field == field)
    assert message.lower() in problem.message.lower()
    lines = text.splitlines()
    expected = next(
        n
        for n, line in enumerate(lines, 1)
        if line.lstrip().startswith(line_with)
        or line_with in line
        and not line.lstrip().startswith("#")
    )
    assert problem.line == expected


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(EventFileError) as caught:
        parse_event("slug: x\ntitle: [unclosed\n", "event.yaml")
    assert caught.value.problems[0].field == "YAML"
    assert caught.value.problems[0].line is not None


def test_times_are_never_read_as_sexagesimal_numbers():
    event = parse_event(_broken('end_time: "11:45"', "end_time: 11:45"))
    assert event.end_time == time(11, 45)


def test_cli_rejects_a_bad_file_with_field_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(_broken("seat_limit: 120", "seat_limit: many"), encoding="utf-8")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "app.py", "event", "load", str(bad)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1) if "many" in text)
    assert f"registration.seat_limit (rad/line {line})" in done.stderr
