"""The day's documentation: built from the database, parsed back with python-docx."""

from __future__ import annotations

import io

import pytest
from docx import Document

from bot.events.service import get_event
from bot.schedule.feedback import record_feedback
from bot.workshop.document import build_documentation
from bot.workshop.notes import save_notes
from bot.workshop.report_data import gather_report
from tests.conftest import load
from tests.support.coordination import SLUG, publish_placements, register_people


@pytest.fixture
def day(example, db, clock):
    load(db, example, clock)
    people = register_people(db, clock.now(), 5)
    publish_placements(db, clock.now(), {people[0]: "larare", people[1]: "larare",
                                         people[2]: "ai", people[3]: "energi"})  # fmt: skip
    with db.transaction() as session:
        save_notes(session, slug=SLUG, group_key="larare", user_id=people[0], now=clock.now(),
                   answers={"idag": "Praktik i tolv skolor", "nasta_steg": "Möte i maj",
                            "kontakt": "Ida Lindh, Skellefteå kommun"})  # fmt: skip
        save_notes(session, slug=SLUG, group_key="ai", user_id=people[2], now=clock.now(),
                   answers={"samarbete": "AI-etik i förskolan"})  # fmt: skip
        after = get_event(session, SLUG).ends_at  # feedback: registered people, after the start
        record_feedback(session, slug=SLUG, user_id=people[0], score=5, now=after,
                        comment="Bra dag, mer tid för grupperna")  # fmt: skip
        record_feedback(session, slug=SLUG, user_id=people[1], score=3, now=after)
    return people


def build(db, clock) -> Document:
    with db.transaction() as session:
        report = gather_report(session, get_event(session, SLUG))
    return Document(io.BytesIO(build_documentation(report, now=clock.now())))


def text_of(document: Document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_documentation_holds_program_groups_notes_next_steps_participation_feedback(
    db, clock, day
):
    document = build(db, clock)
    text = text_of(document)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["Program", "Deltagande", "Grupper och anteckningar per fokusområde",
                            "Strategisk kompetensförsörjning"]  # fmt: skip
    assert "Nästa steg och kontaktpersoner" in headings and "Återkoppling" in headings
    assert "09:35–10:10" in text and "Samtal i föranmälda grupper" in text  # the program
    assert "Anmälda: 5 av 120 platser" in text
    assert "Praktik i tolv skolor" in text and "AI-etik i förskolan" in text  # the notes
    assert "Gruppen skrev inga anteckningar." in text  # energi wrote nothing
    steps = document.tables[-2]  # next steps, then the feedback table
    rows = [[c.text for c in row.cells] for row in steps.rows]
    assert rows[0] == ["Grupp", "Nästa steg", "Kontaktperson"]
    assert ["Diskussionsgrupp 1: Lärare – yrke och utbildning", "Möte i maj",
            "Ida Lindh, Skellefteå kommun"] in rows  # fmt: skip
    assert "Företagsforskarskolan" in text  # the event's support text
    assert "2 svar, medelbetyg 4,0 av 5." in text
    assert "Bra dag, mer tid för grupperna" in text
    assert len(document.inline_shapes) == 3  # choices, organisations, feedback charts


def test_it_names_only_members_and_what_they_wrote(db, clock, day):
    text = text_of(build(db, clock))
    assert "Person 0" in text and "Org 0" in text  # a member, with organisation
    assert "Person 4" not in text  # registered but in no group: not named
    for user in day:
        assert user not in text  # no Slack ids


def test_without_groups_or_feedback_it_still_builds(example, db, clock):
    load(db, example, clock)
    register_people(db, clock.now(), 2)
    text = text_of(build(db, clock))
    assert "Inga svar på återkopplingsfrågan ännu." in text
    assert "Anmälda: 2 av 120 platser" in text
