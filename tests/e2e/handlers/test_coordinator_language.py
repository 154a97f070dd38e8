"""Coordinators are answered in the event's language once the event is known (as its DMs to
them are), and in the workspace's default before that."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.breakouts import service as breakouts
from bot.ids.coordinator import Action as CoordinatorAction
from bot.ids.coordinator import home_button_value
from bot.ids.workshop import Action, Block
from bot.registration.form import RegistrationForm
from bot.registration.service import submit_registration
from tests.conftest import load
from tests.e2e.handlers.test_coordinator_broadcast import answers, open_compose
from tests.support.coordination import COORDINATOR, SLUG, register_people, start_broadcast


@pytest.fixture
def english(db, clock, example):
    load(db, example.model_copy(update={"language": "en"}), clock)
    return register_people(db, clock.now(), 4)


def test_samordna_answers_in_the_events_language(bot, english):
    reply = bot.sender.command("/samordna", "kort <#C0SHARED1|shared>", COORDINATOR)
    assert reply.status == 200
    assert reply.body.startswith("The registration card for *")
    assert "<#C0SHARED1>" in reply.body
    card = bot.slack.wait_for_posts("C0SHARED1")[-1]  # posted after the ack, in English too
    assert card.params["text"].startswith("Registration for ")

    help_reply = bot.sender.command("/samordna", "hjalp", COORDINATOR)  # no event named yet
    assert help_reply.body.startswith("*Samordna en partnerskapsdag*")  # the default: sv


def test_the_broadcast_modal_and_its_preview_follow_the_event(bot, english):
    view = open_compose(bot)
    assert view["title"]["text"] == "Broadcast"
    preview = bot.sender.submit_view(view, answers(), COORDINATOR).json()["view"]
    assert preview["title"]["text"] == "Preview"  # Swedish: "Förhandsgranskning"
    assert "recipients" in json.dumps(preview)


def test_the_draft_review_follows_the_event(bot, db, clock, english):
    with db.transaction() as session:
        breakouts.draft(session, slug=SLUG, now=clock.now())
    before = len(bot.slack.calls_to("views.open"))
    bot.sender.click(Action.REVIEW_OPEN, SLUG, COORDINATOR, block_id=Block.REVIEW_OPEN)
    view = bot.slack.wait_for("views.open", before + 1)[-1].params["view"]
    view = view if isinstance(view, dict) else json.loads(view)
    assert view["title"]["text"] == "Breakout groups"


def test_a_retry_for_a_broadcast_that_is_gone_is_said_in_the_default_language(bot, english):
    before = len(bot.slack.responses())
    bot.sender.click(CoordinatorAction.RETRY_FAILED, "7", COORDINATOR,
                     response_url=bot.slack.response_url)  # fmt: skip
    answer = bot.slack.wait_for("response_url", before + 1)[-1].params["text"]
    assert answer.startswith("Jag hittar inte det utskicket.")  # no event to take it from


def test_a_retry_of_an_english_events_broadcast_is_answered_in_english(bot, db, clock, english):
    broadcast_id, _people = start_broadcast(db, clock.now(), 2)  # nothing has failed
    before = len(bot.slack.responses())
    bot.sender.click(CoordinatorAction.RETRY_FAILED, str(broadcast_id), COORDINATOR,
                     response_url=bot.slack.response_url)  # fmt: skip
    answer = bot.slack.wait_for("response_url", before + 1)[-1].params["text"]
    assert answer == "There is nothing failed to send again."


def _view(bot, method, before):  # noqa: ANN001, ANN202
    view = bot.slack.wait_for(method, before + 1)[-1].params["view"]
    return view if isinstance(view, dict) else json.loads(view)


def test_the_home_dashboards_broadcast_button_follows_the_event(bot, english):
    before = len(bot.slack.calls_to("views.open"))
    bot.sender.click(CoordinatorAction.HOME_BROADCAST, home_button_value(SLUG), COORDINATOR)
    assert _view(bot, "views.open", before)["title"]["text"] == "Broadcast"


def test_cancelling_and_then_changing_a_scheduled_broadcast_are_answered_in_english(
    bot, clock, english
):
    later = int((clock.now() + timedelta(hours=1)).timestamp())
    preview = bot.sender.submit_view(open_compose(bot), answers(send_at=later), COORDINATOR)
    bot.sender.submit_view(preview.json()["view"], {}, COORDINATOR)

    url = bot.slack.response_url
    bot.sender.click(CoordinatorAction.CANCEL_SCHEDULED, "1", COORDINATOR, response_url=url)
    cancelled = bot.slack.wait_for("response_url", 1)[-1].params["text"]
    assert cancelled == "The scheduled broadcast is cancelled. Nothing was sent."
    bot.sender.click(CoordinatorAction.CHANGE_SCHEDULED, "1", COORDINATOR, response_url=url)
    refused = bot.slack.wait_for("response_url", 2)[-1].params["text"]
    assert refused.startswith("The broadcast has started or was cancelled")


def _home(bot, user_id: str) -> dict:
    before = len(bot.slack.calls_to("views.publish"))
    bot.sender.event({"type": "app_home_opened", "user": user_id, "tab": "home"})
    view = bot.slack.wait_for("views.publish", before + 1)[-1].params["view"]
    return view if isinstance(view, dict) else json.loads(view)


def test_the_home_tab_follows_the_event_a_coordinator_coordinates(bot, english):
    view = _home(bot, COORDINATOR)
    assert view["blocks"][0]["text"]["text"] == "Partnership days"
    assert "*Coordination: " in json.dumps(view) and "Your events" in json.dumps(view)


def test_the_home_tab_follows_the_language_a_participant_registered_in(bot, db, clock, example):
    load(db, example, clock)  # a Swedish event
    (swede,) = register_people(db, clock.now(), 1)
    with db.transaction() as session:  # one more, who chose English (`/anmal en`)
        form = RegistrationForm(name="Alex", organisation="Volvo", role="", preferences=("ai",),
                                comment="", consent=True)  # fmt: skip
        submit_registration(session, slug=SLUG, user_id="U0ENGLISH", form=form, locale="en",
                            now=clock.now())  # fmt: skip
    english_home = json.dumps(_home(bot, "U0ENGLISH"), ensure_ascii=False)
    assert "*Your events*" in english_home and "You are registered." in english_home
    swedish_home = json.dumps(_home(bot, swede), ensure_ascii=False)
    assert "*Dina evenemang*" in swedish_home and "Du är anmäld." in swedish_home


def test_each_part_of_a_coordinators_home_tab_speaks_its_own_language(bot, db, clock, example,
                                                                      english):  # fmt: skip
    swedish = example.model_copy(update={"slug": "annan-dag-2021"})
    load(db, swedish, clock)
    register_people(db, clock.now(), 1, slug=swedish.slug)  # someone else
    with db.transaction() as session:  # the coordinator takes part in the Swedish day
        form = RegistrationForm(name="Samordnaren", organisation="Umu", role="",
                                preferences=("ai",), comment="", consent=True)  # fmt: skip
        submit_registration(session, slug=swedish.slug, user_id=COORDINATOR, form=form,
                            locale="sv", now=clock.now())  # fmt: skip
    text = json.dumps(_home(bot, COORDINATOR), ensure_ascii=False)
    assert '"text": "Partnerskapsdagar"' in text and "*Dina evenemang*" in text  # headings
    assert "*Coordination: " in text and "*Samordning: " in text  # each dashboard its own
    assert "Du är anmäld." in text and "You are registered." not in text
