"""Every /anmal path a participant can take, with the message they see and what is stored."""

from __future__ import annotations

from datetime import timedelta

from bot.ids.registration import Action, button_value, read_button_value
from bot.registration.form import FormField
from storage.models import OutboxMessage, Registration
from tests.conftest import SECOND_EXAMPLE, load
from tests.support.forms import USER, count, modal_outcome, open_modal, register, reply_text

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


def test_several_open_events_offer_a_choice(bot, db, clock, example):
    from bot.events.loading import load_event_file

    other = load_event_file(SECOND_EXAMPLE)
    other = other.model_copy(
        update={
            "date": example.date,
            "registration": example.registration.model_copy(),
        }
    )
    load(db, example, clock)
    load(db, other, clock)
    body = bot.sender.command("/anmal", "", USER).json()
    buttons = [b["accessory"] for b in body["blocks"] if b.get("accessory")]
    assert {read_button_value(b["value"])[0] for b in buttons} == {example.slug, other.slug}
    before = len(bot.slack.calls_to("views.open"))
    bot.sender.click(Action.PICK_EVENT, button_value(other.slug, "sv"), USER)
    view = bot.slack.wait_for("views.open", before + 1)[-1].params["view"]
    assert '"slug": "region-vasterbotten-2020"' in view["private_metadata"]


def test_changing_only_the_groups(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    view = open_modal(bot, USER, "grupp")
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == [
        FormField.CHOICE_1,
        FormField.CHOICE_2,
        FormField.CHOICE_3,
    ]
    before = len(bot.slack.posts())
    answers = {FormField.CHOICE_1: "energi", FormField.CHOICE_2: None, FormField.CHOICE_3: "ai"}
    reply = bot.sender.submit_view(view, answers, USER).json()
    assert reply["response_action"] == "update"
    dm = bot.slack.wait_for("chat.postMessage", before + 1)[-1].params["text"]
    assert "1. Hållbar samhällsutveckling, 2. Artificiell Intelligens (AI)" in dm
    assert "Ida Participant" in dm  # the rest is kept


def test_over_long_and_missing_text_are_inline_errors(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)
    from tests.support.forms import ANSWERS

    answers = {
        **ANSWERS,
        FormField.NAME: "x" * 101,
        FormField.ORGANISATION: "  ",
        FormField.CHOICE_1: None,
    }
    errors = bot.sender.submit_view(view, answers, USER).json()["errors"]
    assert errors == {
        FormField.NAME: "För lång text: högst 100 tecken (du skrev 101).",
        FormField.ORGANISATION: "Fyll i det här fältet.",
        FormField.CHOICE_1: "Välj minst ett förstahandsval.",
    }
    assert count(db, Registration) == 0 and bot.slack.posts() == []


def test_reopening_prefills_the_stored_registration(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    view = open_modal(bot)
    comment = next(b for b in view["blocks"] if b.get("block_id") == FormField.COMMENT)
    assert comment["element"]["initial_value"] == "Vegetarisk lunch tack"
    choice = next(b for b in view["blocks"] if b.get("block_id") == FormField.CHOICE_2)
    assert choice["element"]["initial_option"]["value"] == "ai"


def test_the_event_language_wins_over_the_slack_locale_and_en_switches(bot, db, clock, example):
    """Slack has no Swedish interface: Swedish users report en-*; the event decides."""
    load(db, example, clock)
    bot.slack.add_user("U0ENGLISH", real_name="Jane Visitor", title="Researcher", locale="en-GB")
    assert open_modal(bot, "U0ENGLISH")["title"]["text"] == "Anmälan"
    view = open_modal(bot, "U0ENGLISH", "en")
    assert view["title"]["text"] == "Registration"
    from tests.support.forms import ANSWERS

    bot.sender.submit_view(view, ANSWERS, "U0ENGLISH")
    dm = bot.slack.wait_for("chat.postMessage")[-1].params["text"]
    assert dm.startswith(f":white_check_mark: You are registered for *{TITLE}*, Thursday 22 April")
    status = reply_text(bot.sender.command("/anmal", "status", "U0ENGLISH"))
    assert status.startswith("You are registered")  # the chosen language is remembered


def test_a_slow_profile_lookup_never_holds_the_form_back(bot, db, clock, example):
    load(db, example, clock)
    bot.slack.delay("users.info", 2.5)  # longer than the profile look-up may take
    view = open_modal(bot)
    name = next(b for b in view["blocks"] if b.get("block_id") == FormField.NAME)
    assert "initial_value" not in name["element"]  # opened without waiting for the profile


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


def test_erase_without_a_slug_finds_a_cancelled_registration(bot, db, clock, example):
    load(db, example, clock)
    register(bot)
    with db.transaction() as session:
        from bot.registration.service import cancel_registration

        cancel_registration(session, slug=example.slug, user_id=USER, now=clock.now())
    reply = bot.sender.command("/anmal", "radera", USER).json()
    assert reply["text"].startswith(f"Vill du radera alla uppgifter om dig för *{TITLE}*?")


def test_a_repeated_submission_repeats_that_you_are_registered(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)
    from tests.support.forms import ANSWERS

    bot.sender.submit_view(view, ANSWERS, USER)
    assert modal_outcome(bot, 0).startswith(":white_check_mark: Du är anmäld")
    bot.sender.submit_view(view, ANSWERS, USER)
    assert modal_outcome(bot, 1).startswith(":white_check_mark: Du är anmäld")
    assert len(bot.slack.posts(USER)) == 1


def test_registered_people_get_their_own_event_when_several_are_open(bot, db, clock, example):
    from bot.events.loading import load_event_file

    other = load_event_file(SECOND_EXAMPLE).model_copy(
        update={"date": example.date, "registration": example.registration.model_copy()}
    )
    load(db, example, clock)
    load(db, other, clock)
    view = open_modal(bot, USER, other.slug)
    from tests.support.forms import ANSWERS

    bot.sender.submit_view(
        view, {**ANSWERS, FormField.CHOICE_1: "ai", FormField.CHOICE_2: None}, USER
    )
    bot.slack.wait_for("chat.postMessage")
    view = open_modal(bot, USER)  # no slug: straight to the registration they have
    assert '"slug": "region-vasterbotten-2020"' in view["private_metadata"]


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
