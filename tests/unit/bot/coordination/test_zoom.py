"""Zoom's pre-assignment file: rows, people without an address, Zoom's limits (pure)."""

from __future__ import annotations

import csv
import io

from bot.coordination.zoom import (
    HEADER,
    ZoomFile,
    limit_problems,
    room_names,
    zoom_comment,
    zoom_csv,
    zoom_filename,
    zoom_rows,
)
from bot.events.loading import load_event_file
from storage.models import Event
from tests.conftest import EXAMPLE


def test_rows_follow_the_events_group_order_and_leave_out_people_without_an_address():
    rooms = {"larare": "Lärare – yrke", "ai": "AI, data & etik"}
    people = {"U1": ("Ada", "ada@umu.se"), "U2": ("Bo", ""), "U3": ("Cy", "cy@skelleftea.se")}
    rows, without = zoom_rows([("U1", "ai"), ("U2", "ai"), ("U3", "larare")], people, rooms)
    assert rows == [("Lärare – yrke", "cy@skelleftea.se"), ("AI, data & etik", "ada@umu.se")]
    assert [(p.user_id, p.name, p.room) for p in without] == [("U2", "Bo", "AI, data & etik")]


def test_the_csv_has_zooms_header_and_quotes_room_names_with_commas():
    data = zoom_csv((("AI, data & etik", "ada@umu.se"), ("Lärare", "cy@skelleftea.se")))
    assert not data.startswith(b"\xef\xbb\xbf")  # Zoom reads the header by name: no BOM
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert parsed[0] == list(HEADER) == ["Pre-assign Room Name", "Email Address"]
    assert parsed[1:] == [["AI, data & etik", "ada@umu.se"], ["Lärare", "cy@skelleftea.se"]]


def test_limits_of_100_rooms_and_1000_participants_are_reported():
    within = [(f"Rum {n % 100}", f"p{n}@x.se") for n in range(1000)]
    assert limit_problems(within, "sv") == []
    over = [(f"Rum {n % 101}", f"p{n}@x.se") for n in range(1001)]
    problems = limit_problems(over, "sv")
    assert "Zoom tillåter högst 100 förhandsindelade rum, men indelningen har 101." in problems[0]
    assert "högst 1000 förhandsindelade deltagare, men filen har 1001." in problems[1]


def test_room_names_are_the_group_names_and_stay_unique():
    definition = load_event_file(EXAMPLE)
    names = room_names(definition)
    assert list(names) == [g.key for g in definition.groups]
    assert names["ai"] == definition.group("ai").name
    assert len(set(names.values())) == len(names)


def test_the_comment_names_the_sessions_and_who_to_place_by_hand():
    from bot.coordination.zoom import Unplaceable

    zoom = ZoomFile(
        rows=(("AI", "a@x.se"),),
        without_email=(Unplaceable("U2", "Bo", "AI"),),
        sessions=("Samtal", "Fortsatt"),
    )
    text = zoom_comment(zoom, "Partnerskapsdag", "sv")
    assert "1 personer i 1 rum" in text
    assert "Alla pass med grupper (Samtal, Fortsatt) använder samma indelning." in text
    assert "• Bo (<@U2>) → AI" in text


def test_the_file_is_named_in_the_readers_language():
    event = Event(slug="skelleftea-2021")
    assert zoom_filename(event, "sv") == "zoom-grupper-skelleftea-2021.csv"
    assert zoom_filename(event, "en") == "zoom-groups-skelleftea-2021.csv"
