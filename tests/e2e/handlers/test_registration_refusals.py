"""/anmal refusals and failures: the message a person sees, and that nothing was stored."""

from __future__ import annotations

from datetime import timedelta

from bot.ids.registration import Action, button_value
from storage.models import OutboxMessage, Registration
from tests.conftest import load
from tests.support.forms import USER, count, modal_outcome, open_modal, reply_text

TITLE = "Digital partnerskapsdag för Umeå universitet och Skellefteå kommun"


def test_after_the_deadline_registering_is_refused_naming_deadline_and_contact(
    bot, db, clock, example
):
    load(db, example, clock)
    clock.set(example.closes_at + timedelta(minutes=1))
    text = reply_text(bot.sender.command("/anmal", example.slug, USER))
    assert text == (
        f"Anmälan till *{TITLE}* stängde fredag 16 april 2021 kl. 16:30. Vill du ändå vara med? "
        "Kontakta Ida Lindh, strategiskt ansvarig Campus Skellefteå (ida.lindh@skelleftea.se)."
    )
    assert bot.slack.calls_to("views.open") == []
    assert count(db, Registration) == 0


def test_a_form_submitted_after_the_deadline_is_refused_and_not_stored(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)
    clock.set(example.closes_at)  # the modal stayed open past the deadline
    from tests.support.forms import ANSWERS

    reply = bot.sender.submit_view(view, ANSWERS, USER).json()
    assert reply["response_action"] == "update"
    assert "stängde fredag 16 april 2021 kl. 16:30" in reply["view"]["blocks"][0]["text"]["text"]
    assert count(db, Registration) == 0 and count(db, OutboxMessage) == 0


def test_before_opening_registering_is_refused(bot, db, clock, example):
    load(db, example, clock)
    clock.set(example.opens_at - timedelta(days=1))
    text = reply_text(bot.sender.command("/anmal", example.slug, USER))
    assert text.startswith(
        f"Anmälan till *{TITLE}* öppnar måndag 22 mars 2021 kl. 09:00 "
        "och stänger fredag 16 april 2021 kl. 16:30."
    )


def test_unknown_event_lists_the_open_ones(bot, db, clock, example):
    load(db, example, clock)
    text = reply_text(bot.sender.command("/anmal", "finns-inte", USER))
    assert text == (
        "Jag hittar inget evenemang som heter `finns-inte`. Öppna evenemang: `skelleftea-2021`."
        "\nSkriv `/anmal hjalp` för att se allt du kan göra."
    )


def test_unknown_text_gets_the_help(bot, db, clock, example):
    load(db, example, clock)
    text = reply_text(bot.sender.command("/anmal", "hej hopp", USER))
    assert text.startswith("Jag förstod inte `hej hopp`.")
    assert "`/anmal avanmal`" in text


def test_help_in_english(bot, db, clock, example):
    load(db, example, clock)
    text = reply_text(bot.sender.command("/anmal", "hjalp en", USER))
    assert text.startswith("*Registering for partnership days*")


def test_a_form_for_an_event_that_is_gone_says_so_and_stores_nothing(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)
    view = {**view, "private_metadata": '{"slug": "borttaget", "lang": "sv"}'}
    from tests.support.forms import ANSWERS

    reply = bot.sender.submit_view(view, ANSWERS, USER).json()
    assert reply["response_action"] == "update"
    text = reply["view"]["blocks"][0]["text"]["text"]
    assert text.startswith("Jag hittar inget evenemang som heter `borttaget`.")
    assert count(db, Registration) == 0 and count(db, OutboxMessage) == 0


def test_a_database_fault_gives_a_clear_message_and_stores_nothing(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)
    from sqlalchemy import text

    from tests.support.forms import ANSWERS

    with db.engine.begin() as connection:  # a real fault: the choices table is gone
        connection.execute(text("DROP TABLE group_choices"))
    bot.sender.submit_view(view, ANSWERS, USER)
    assert modal_outcome(bot, 0) == (
        "Något gick fel hos oss, och ingenting sparades. Försök igen om en stund."
    )
    assert count(db, Registration) == 0 and count(db, OutboxMessage) == 0
    assert bot.slack.posts() == []


def test_no_events_at_all(bot):
    text = reply_text(bot.sender.command("/anmal", "", USER))
    assert text == "Det finns inga evenemang med öppen anmälan just nu."


def test_if_the_submission_cannot_be_recorded_the_modal_says_so(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)
    from sqlalchemy import text

    from tests.support.forms import ANSWERS

    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE registration_inbox"))
    reply = bot.sender.submit_view(view, ANSWERS, USER).json()
    assert reply["view"]["blocks"][0]["text"]["text"] == (
        "Något gick fel hos oss, och ingenting sparades. Försök igen om en stund."
    )
    assert count(db, Registration) == 0 and bot.slack.posts() == []


def test_a_failing_event_picker_says_so(bot, db, clock, example):
    load(db, example, clock)
    bot.slack.fail("views.open", "expired_trigger_id")
    bot.sender.click(
        Action.PICK_EVENT,
        button_value(example.slug, "sv"),
        USER,
        response_url=bot.slack.response_url,
    )
    text = bot.slack.wait_for("response_url")[-1].params["text"]
    assert text == "Något gick fel hos oss, och ingenting sparades. Försök igen om en stund."
