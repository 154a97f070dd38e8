"""End to end: the "Gruppens anteckningar" button and modal over HTTP, members and outsiders."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from bot.events.service import get_event
from bot.ids.workshop import Action, Block, event_value, group_value, note_block_id
from bot.schedule.retention import purge_event
from storage.models import GroupNoteEdit
from tests.conftest import load
from tests.support.coordination import OUTSIDER, SLUG, publish_placements, register_people


@pytest.fixture
def members(db, clock, example):
    load(db, example, clock)
    people = register_people(db, clock.now(), 4)
    publish_placements(
        db, clock.now(), {people[0]: "larare", people[1]: "larare", people[2]: "ai",
                          people[3]: "energi"},
    )  # fmt: skip
    return people


def open_notes(bot, user_id, group_key="larare"):
    before = len(bot.slack.calls_to("views.open"))
    reply = bot.sender.click(
        Action.OPEN_NOTES, group_value(SLUG, group_key), user_id, block_id=Block.NOTES_BUTTON
    )
    assert reply.status == 200
    return bot.slack.wait_for("views.open", before + 1)[-1].params["view"]


def notice(reply) -> str:
    """The text of the notice the submission's ack put in the modal."""
    assert reply.json()["response_action"] == "update"
    return reply.json()["view"]["blocks"][0]["text"]["text"]


def stored(db):
    with db.transaction() as session:
        rows = session.scalars(select(GroupNoteEdit).order_by(GroupNoteEdit.id)).all()
        return [(r.group_key, r.question_key, r.text, r.author_id) for r in rows]


def test_a_member_writes_another_edits_the_last_edit_wins_and_history_is_kept(bot, db, members):
    view = open_notes(bot, members[0])
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == [
        "Vad gör vi idag i respektive organisation inom fokusområdet?",
        "Vilka framtida samarbetsmöjligheter finns?",
        "Hur tar vi dem vidare? Vad blir nästa steg?",
        "Kontaktperson för det fortsatta arbetet",
    ]
    answers = {
        note_block_id("idag"): "Praktikplatser i kommunens skolor",
        note_block_id("nasta_steg"): "Ett möte i maj",
        note_block_id("kontakt"): None,
    }
    reply = bot.sender.submit_view(view, answers, members[0])
    assert reply.json()["response_action"] == "update"
    assert "Gruppens anteckningar är sparade (2 svar ändrade)" in notice(reply)

    again = open_notes(bot, members[1])  # another member sees the notes prefilled
    prefilled = {b["block_id"]: b["element"].get("initial_value") for b in again["blocks"]
                 if b["type"] == "input"}  # fmt: skip
    assert prefilled[note_block_id("idag")] == "Praktikplatser i kommunens skolor"
    assert prefilled[note_block_id("samarbete")] is None
    assert f"Senast ändrat av <@{members[0]}>" in str(again["blocks"][-1])
    edited = {
        note_block_id("idag"): "Praktikplatser och VFU",
        note_block_id("nasta_steg"): "Ett möte i maj",
        note_block_id("kontakt"): "Ida Lindh, Skellefteå kommun",
    }
    reply = bot.sender.submit_view(again, edited, members[1])
    assert "(2 svar ändrade)" in notice(reply)

    assert stored(db) == [
        ("larare", "idag", "Praktikplatser i kommunens skolor", members[0]),
        ("larare", "nasta_steg", "Ett möte i maj", members[0]),
        ("larare", "idag", "Praktikplatser och VFU", members[1]),
        ("larare", "kontakt", "Ida Lindh, Skellefteå kommun", members[1]),
    ]
    third = open_notes(bot, members[0])
    assert "Praktikplatser och VFU" in str(third["blocks"])  # the last edit wins


def test_someone_outside_the_group_is_refused_and_nothing_is_stored(bot, db, members):
    for outsider in (members[2], OUTSIDER):  # in another group, or in none
        view = open_notes(bot, outsider)
        assert view.get("callback_id") != "workshop_notes"
        text = view["blocks"][0]["text"]["text"]
        assert "Du är inte med i gruppen *Diskussionsgrupp 1: Lärare" in text
        assert "ingenting har sparats" in text
    member_view = open_notes(bot, members[0])  # a forged submission of a member's modal
    reply = bot.sender.submit_view(member_view, {note_block_id("idag"): "Spam"}, members[2])
    assert "Du är inte med i gruppen" in notice(reply)
    assert stored(db) == []


def test_an_unknown_group_is_a_clear_message(bot, db, members):
    view = open_notes(bot, members[0], group_key="finnsinte")
    assert "Gruppen `finnsinte` finns inte i evenemanget." in view["blocks"][0]["text"]["text"]
    assert stored(db) == []


def test_clearing_an_answer_is_an_edit_and_the_note_is_then_empty(bot, db, members):
    view = open_notes(bot, members[0])
    bot.sender.submit_view(view, {note_block_id("idag"): "Något"}, members[0])
    view = open_notes(bot, members[1])
    reply = bot.sender.submit_view(view, {note_block_id("idag"): ""}, members[1])
    assert "(1 svar ändrat)" in notice(reply)
    assert stored(db)[-1] == ("larare", "idag", "", members[1])
    again = open_notes(bot, members[0])
    assert "Något" not in str(again["blocks"])
    reply = bot.sender.submit_view(again, {}, members[0])
    assert "Inget ändrades" in notice(reply)


NO_QUESTIONS = "Evenemanget har inga workshopfrågor, så det finns inga anteckningar att skriva."
FAILED = "Något gick fel; anteckningarna sparades inte. Försök igen om en stund."


def test_notes_after_the_questions_were_removed_say_so_and_store_nothing(
    bot, db, clock, example, members
):
    view = open_notes(bot, members[0])  # opened while the event had questions
    bare = example.workshop.model_copy(update={"questions": []})
    load(db, example.model_copy(update={"workshop": bare}), clock)
    reply = bot.sender.submit_view(view, {note_block_id("idag"): "Praktik"}, members[0])
    assert notice(reply) == NO_QUESTIONS
    stale_button = open_notes(bot, members[1])  # the button on an earlier breakout post
    assert stale_button["blocks"][0]["text"]["text"] == NO_QUESTIONS
    assert stale_button.get("callback_id") != "workshop_notes"
    assert stored(db) == []


def test_a_database_fault_says_the_notes_were_not_saved_and_keeps_none_of_them(bot, db, members):
    view = open_notes(bot, members[0])
    with db.engine.begin() as connection:  # a real fault on the second of two answers
        connection.execute(text(
            "CREATE TRIGGER fail_second_note BEFORE INSERT ON group_note_edits "
            "WHEN NEW.question_key = 'nasta_steg' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        ))  # fmt: skip
    answers = {note_block_id("idag"): "Praktik", note_block_id("nasta_steg"): "Ett möte"}
    reply = bot.sender.submit_view(view, answers, members[0])
    assert notice(reply) == FAILED
    assert stored(db) == []  # the first answer is not kept either

    with db.engine.begin() as connection:  # the notes cannot even be read
        connection.execute(text("ALTER TABLE group_note_edits RENAME TO group_note_edits_gone"))
    opened = open_notes(bot, members[0])
    assert opened["blocks"][0]["text"]["text"] == FAILED
    assert opened.get("callback_id") != "workshop_notes"


GONE = "Evenemanget `{}` finns inte längre (eller har rensats); ingenting har sparats."
PURGED = GONE.format("skelleftea-2021")


def test_after_the_event_was_purged_notes_and_read_more_say_so_and_store_nothing(
    bot, db, clock, members
):
    view = open_notes(bot, members[0])  # opened before the retention purge
    with db.transaction() as session:
        purge_event(session, get_event(session, SLUG), now=clock.now())

    reply = bot.sender.submit_view(view, {note_block_id("idag"): "Praktik"}, members[0])
    assert notice(reply) == PURGED
    stale_button = open_notes(bot, members[1])  # the button on the day's breakout post
    assert stale_button["blocks"][0]["text"]["text"] == PURGED
    assert stale_button.get("callback_id") != "workshop_notes"
    assert stored(db) == []


def test_read_more_for_an_event_that_is_gone_says_so(bot, db, members):
    before = len(bot.slack.calls_to("views.open"))
    bot.sender.click(Action.READ_MORE, event_value("finns-inte-2020"), members[0])
    view = bot.slack.wait_for("views.open", before + 1)[-1].params["view"]
    assert view["blocks"][0]["text"]["text"] == GONE.format("finns-inte-2020")
