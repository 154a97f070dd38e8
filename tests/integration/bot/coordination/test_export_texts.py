"""The CSV export's words come from bot/i18n, in the event's language."""

from __future__ import annotations

from bot.coordination.export import export_csv, export_filename
from bot.events.service import get_event
from tests.conftest import load
from tests.support.coordination import SLUG, register_people


def _rows(data: bytes) -> list[list[str]]:
    return [line.split(";") for line in data.decode("utf-8-sig").split("\r\n") if line]


def test_swedish_headers_status_and_file_name_by_default(db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 1)
    with db.transaction() as session:
        event = get_event(session, SLUG)
        rows = _rows(export_csv(session, event))
        name = export_filename(event)
    assert rows[0] == [
        "Anmälningsnummer", "Status", "Namn", "Organisation", "Roll", "Val 1", "Val 2", "Val 3",
        "Tilldelad grupp", "Kommentar", "Slack-id", "E-post", "Anmäld", "Ändrad",
    ]  # fmt: skip
    assert rows[1][1] == "anmäld"
    assert rows[1][12].startswith("torsdag 1 april 2021 kl. ")
    assert name == f"deltagare-{SLUG}.csv"


def test_english_headers_status_and_file_name_for_an_english_event(db, clock, example):
    load(db, example.model_copy(update={"language": "en"}), clock)
    register_people(db, clock.now(), 1)
    with db.transaction() as session:
        event = get_event(session, SLUG)
        rows = _rows(export_csv(session, event))
        name = export_filename(event)
    assert rows[0][:3] == ["Registration no.", "Status", "Name"]
    assert rows[1][1] == "registered"
    assert rows[1][12].startswith("Thursday 1 April 2021 at ")
    assert name == f"participants-{SLUG}.csv"
