"""/anmal forms: choosing an event, prefills, languages, group changes, inline errors."""

from __future__ import annotations

from bot.ids.registration import Action, button_value, read_button_value
from bot.registration.form import FormField
from storage.models import Registration
from tests.conftest import SECOND_EXAMPLE, load
from tests.support.forms import USER, count, modal_outcome, open_modal, register, reply_text

TITLE = "Digital partnerskapsdag för Umeå universitet och Skellefteå kommun"


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
        FormField.CHOICE_1: "Välj ett förstahandsval.",
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


def test_a_third_choice_after_the_event_allows_only_two_is_an_inline_error(bot, db, clock, example):
    load(db, example, clock)
    view = open_modal(bot)  # three choices offered
    fewer = example.registration.model_copy(update={"max_choices": 2})
    load(db, example.model_copy(update={"registration": fewer}), clock)  # changed meanwhile
    from tests.support.forms import ANSWERS

    answers = {**ANSWERS, FormField.CHOICE_3: "energi"}
    reply = bot.sender.submit_view(view, answers, USER).json()
    assert reply == {
        "response_action": "errors",
        "errors": {FormField.CHOICE_3: "Högst 2 val är tillåtna i det här evenemanget."},
    }
    assert count(db, Registration) == 0 and bot.slack.posts() == []
