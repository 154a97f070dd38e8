"""Texts exist in both languages with the same placeholders; builders pass Slack's limits."""

from __future__ import annotations

import string

import pytest

from bot.blocks.registration_messages import build_cancel_confirm, build_pick_event
from bot.blocks.registration_modal import (
    Prefill,
    build_groups_modal,
    build_registration_modal,
    read_values,
)
from bot.i18n import ONE, _catalogue, normalise_language, t
from bot.registration.commands import AnmalAction, parse_anmal
from bot.settings import SettingsError, load_settings
from bot.timefmt import format_datetime
from rehearsal.signed_requests import state_values
from tests.conftest import stockholm


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_exists_in_both_languages_with_the_same_placeholders():
    catalogue = _catalogue()
    assert catalogue["sv"].keys() == catalogue["en"].keys()
    for key, swedish in catalogue["sv"].items():
        assert _fields(swedish) == _fields(catalogue["en"][key]), key


def test_a_count_of_one_reads_in_the_singular_where_a_text_has_it():
    catalogue = _catalogue()
    singular = [key for key in catalogue["sv"] if key.endswith(ONE)]
    assert singular, "no singular forms"
    for key in singular:  # a singular form belongs to a text with a count {n}
        base = key.removesuffix(ONE)
        assert base in catalogue["sv"] and "n" in _fields(catalogue["sv"][key]), key
        assert _fields(catalogue["sv"][key]) == _fields(catalogue["sv"][base]), key
    assert t("truth.kind.other", "sv", n=1) == "1 meddelande"
    assert t("truth.kind.other", "sv", n=2) == "2 meddelanden"
    assert t("truth.kind.other", "en", n=1) == "1 message"
    assert t("workshop.review.unplaced", "sv", n=1).startswith("1 person fick ingen plats")
    assert t("reg.status.none", "sv", n=1) == t("reg.status.none", "sv")  # no singular: as is


def test_swedish_date_format():
    moment = stockholm(2021, 4, 22, 8, 30)
    assert format_datetime(moment, "Europe/Stockholm") == "torsdag 22 april 2021 kl. 08:30"
    assert format_datetime(moment, "Europe/Stockholm", "en") == "Thursday 22 April 2021 at 08:30"


def test_language_normalisation():
    assert normalise_language("en-GB") == "en"
    assert normalise_language("fi-FI") == "sv"
    assert t("reg.modal.title", "en") == "Registration"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_modals_validate_against_slack_limits(example, lang):
    prefill = Prefill(name="N" * 100, preferences=("ai", "larare", "energi"), consent=True)
    view = build_registration_modal(example, prefill=prefill, seats_left=0, lang=lang).to_dict()
    assert len(view["blocks"]) <= 100
    assert build_groups_modal(example, preferences=(), lang=lang).to_dict()["type"] == "modal"
    assert build_cancel_confirm(example, lang)[1]["type"] == "actions"
    assert len(build_pick_event([example, example], lang)) == 3


def test_modal_values_round_trip(example):
    view = build_registration_modal(example, prefill=Prefill(), seats_left=3, lang="sv").to_dict()
    answers = {"reg_name": "Ida", "reg_choice_1": "ai", "reg_consent": ["consent"]}
    values = read_values(state_values(view, answers))
    assert values["reg_name"] == "Ida"
    assert values["reg_choice_1"] == "ai" and values["reg_choice_2"] is None
    assert values["reg_consent"] is True


def test_command_parsing():
    assert parse_anmal("").action == AnmalAction.OPEN
    assert parse_anmal("avanmäl skelleftea-2021").slug == "skelleftea-2021"
    assert parse_anmal("status en").lang == "en"
    assert parse_anmal("status a b").action == AnmalAction.UNKNOWN
    assert parse_anmal("Hjälp").action == AnmalAction.HELP


def test_settings_name_each_bad_variable():
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None, slack_bot_token="xoxp-user", port=0)
    lines = str(caught.value).splitlines()
    assert any(line.startswith("SLACK_BOT_TOKEN: ") and "xoxb-" in line for line in lines)
    assert any(line.startswith("PORT: ") for line in lines)


def test_serving_needs_tokens():
    settings = load_settings(_env_file=None)
    assert settings.problems_for_serving() == [
        "SLACK_BOT_TOKEN is not set (Bot User OAuth Token, xoxb-...)",
        "SLACK_SIGNING_SECRET is not set (needed in HTTP mode; or set SLACK_APP_TOKEN for "
        "Socket Mode)",
    ]
