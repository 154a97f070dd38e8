"""Every /anmal path a participant can take, with the message they see and what is stored:
registering, status, waitlist, cancelling, keeping and erasing."""

from __future__ import annotations

import pytest

from bot.events.loading import load_event_file
from bot.ids.registration import Action
from bot.registration.form import FormField
from storage.models import OutboxMessage, Registration
from tests.conftest import SECOND_EXAMPLE, load
from tests.support.forms import ANSWERS, USER, count, open_modal, register, reply_text

TITLE = "Digital partnerskapsdag för Umeå universitet och Skellefteå kommun"


def _small(example, seats):
    registration = example.registration.model_copy(update={"seat_limit": seats})
    return example.model_copy(update={"registration": registration})


def test_full_event_puts_people_on_the_waitlist_with_their_position(bot, db, clock, example):
    load(db, _small(example, 1), clock)
    register(bot, "U1")
    dm = register(bot, "U2")
    assert "Du står på väntelistan som nummer *1*" in dm.params["text"]
    dm = register(bot, "U3")
    assert "nummer *2*" in dm.params["text"]


def test_the_form_says_beforehand_that_a_full_event_means_the_waitlist(bot, db, clock, example):
    load(db, _small(example, 1), clock)
    first = str(open_modal(bot, "U1"))
    assert "Alla platser är tagna" not in first
    register(bot, "U1")
    second = str(open_modal(bot, "U2"))  # the services' form cache must not hide the change
    assert "Alla platser är tagna: du hamnar på väntelistan." in second


def test_status_shows_the_registration(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    text = reply_text(bot.sender.command("/anmal", "status", USER))
    assert text.startswith(f"Du är anmäld till *{TITLE}*, torsdag 22 april 2021 kl. 08:30–11:45.")
    assert "1. Diskussionsgrupp 1: Lärare – yrke och utbildning, 2. Artificiell" in text


def test_status_when_not_registered(bot, db, clock, example):
    load(db, example, clock)
    text = reply_text(bot.sender.command("/anmal", "status", USER))
    assert text == "Du är inte anmäld till något evenemang. Skriv `/anmal` för att anmäla dig."


def test_cancel_asks_first_then_promotes_the_first_on_the_waitlist(bot, db, clock, example):
    load(db, _small(example, 1), clock)
    register(bot, USER)
    register(bot, "U2")
    reply = bot.sender.command("/anmal", "avanmal", USER)
    body = reply.json()
    assert body["text"].startswith(f"Vill du avanmäla dig från *{TITLE}*?")
    buttons = body["blocks"][1]["elements"]
    assert [b["action_id"] for b in buttons] == [Action.CANCEL_YES, Action.CANCEL_NO]
    assert count(db, Registration, Registration.status == "cancelled") == 0  # not yet

    posts = len(bot.slack.posts())
    bot.sender.click(
        Action.CANCEL_YES, buttons[0]["value"], USER, response_url=bot.slack.response_url
    )
    done = bot.slack.wait_for("response_url")[-1].params
    assert done["text"].startswith(f"Du är avanmäld från *{TITLE}*.")
    assert done["replace_original"] is True
    promoted = bot.slack.wait_for("chat.postMessage", posts + 1)[-1]
    assert promoted.channel == "U2"
    assert promoted.params["text"].startswith(":tada: En plats har blivit ledig")
    assert count(db, Registration, Registration.status == "registered") == 1


def test_keeping_the_registration_changes_nothing(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    buttons = bot.sender.command("/anmal", "avanmal", USER).json()["blocks"][1]["elements"]
    bot.sender.click(
        Action.CANCEL_NO, buttons[1]["value"], USER, response_url=bot.slack.response_url
    )
    kept = bot.slack.wait_for("response_url")[-1].params["text"]
    assert kept == f"Bra, din anmälan till *{TITLE}* ligger kvar."
    assert count(db, Registration, Registration.status == "registered") == 1


def test_erase_removes_the_person_and_their_messages(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    reply = bot.sender.command("/anmal", "radera", USER).json()
    button = reply["blocks"][1]["elements"][0]
    assert button["action_id"] == Action.ERASE_YES
    bot.sender.click(Action.ERASE_YES, button["value"], USER, response_url=bot.slack.response_url)
    erased = bot.slack.wait_for("response_url")[-1].params["text"]
    assert erased.startswith(f"Alla uppgifter om dig för *{TITLE}* är raderade: din anmälan")
    assert count(db, Registration) == 0
    # the bot's DM is taken back (chat.delete, recorded in the outbox until it is done)
    bot.slack.wait_until(
        lambda: count(db, OutboxMessage, OutboxMessage.channel == USER) == 0,
        what="no outbox row addressed to the erased person",
    )


def test_erase_without_a_slug_finds_a_cancelled_registration(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    with db.transaction() as session:
        from bot.registration.service import cancel_registration

        cancel_registration(session, slug=example.slug, user_id=USER, now=clock.now())
    reply = bot.sender.command("/anmal", "radera", USER).json()
    assert reply["text"].startswith(f"Vill du radera alla uppgifter om dig för *{TITLE}*?")


def test_erasing_again_says_nothing_is_stored_and_changes_nothing(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    bot.slack.wait_for("files.completeUploadExternal")  # the calendar invite
    button = bot.sender.command("/anmal", "radera", USER).json()["blocks"][1]["elements"][0]
    url = bot.slack.response_url
    bot.sender.click(Action.ERASE_YES, button["value"], USER, response_url=url)
    bot.slack.wait_for("response_url")
    bot.slack.wait_for("files.delete")  # the invite taken back
    bot.slack.wait_until(
        lambda: count(db, OutboxMessage, OutboxMessage.channel == USER) == 0,
        what="the erasure's take-backs done",
    )
    calls, rows = len(bot.slack.calls), count(db, OutboxMessage)
    bot.sender.click(Action.ERASE_YES, button["value"], USER, response_url=url)  # pressed again
    again = bot.slack.wait_for("response_url", 2)[-1]
    assert again.params["text"] == f"Det finns inga sparade uppgifter om dig för *{TITLE}*."
    assert count(db, Registration) == 0 and count(db, OutboxMessage) == rows
    assert [c.method for c in bot.slack.calls[calls:]] == ["response_url"]


@pytest.mark.parametrize("words", ["avanmal", "radera", "grupp"])
def test_someone_registered_for_two_events_is_asked_which(bot, db, clock, example, words):
    other = load_event_file(SECOND_EXAMPLE).model_copy(
        update={"date": example.date, "registration": example.registration.model_copy()}
    )
    load(db, example, clock)
    load(db, other, clock)
    for slug, first in ((example.slug, "larare"), (other.slug, "ai")):
        answers = {**ANSWERS, FormField.CHOICE_1: first, FormField.CHOICE_2: None}
        bot.sender.submit_view(open_modal(bot, USER, slug), answers, USER)
    bot.slack.wait_for_posts(USER, 2)
    bot.slack.wait_for("files.completeUploadExternal", 2)  # the calendar invites
    calls = len(bot.slack.calls)
    text = reply_text(bot.sender.command("/anmal", words, USER))
    assert text == (
        f"Du är anmäld till flera evenemang. Skriv vilket, t.ex. `/anmal {words} EVENEMANG`: "
        "`skelleftea-2021`, `region-vasterbotten-2020`."
    )
    assert count(db, Registration, Registration.status == "registered") == 2
    assert bot.slack.calls[calls:] == []  # no question, no form, no DM
