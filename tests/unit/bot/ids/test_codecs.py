"""Button values and private_metadata: written and read in bot/ids only, bad input refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.errors import BadPayload, DomainError
from bot.i18n import t
from bot.ids import coordinator, registration, schedule

ROOT = Path(__file__).resolve().parents[4]


def test_registration_codecs_round_trip():
    assert registration.read_button_value(registration.button_value("ev-1", "en")) == ("ev-1", "en")
    assert registration.read_button_value("ev-1") == ("ev-1", "sv")  # the language defaults
    metadata = registration.modal_metadata("ev-1", "en")
    assert metadata == '{"slug": "ev-1", "lang": "en"}'  # the format stored in open modals
    assert registration.read_modal_metadata(metadata) == ("ev-1", "en")
    assert registration.read_modal_metadata("") == ("", "sv")


def test_coordinator_codecs_round_trip():
    read = coordinator.read_broadcast_modal_metadata
    assert read(coordinator.broadcast_modal_metadata("ev-1", "en", 7)) == (
        coordinator.BroadcastModalMetadata("ev-1", "en", 7)
    )
    assert coordinator.broadcast_modal_metadata("ev-1", "sv") == "ev-1|sv|"
    assert read("ev-1|sv|") == coordinator.BroadcastModalMetadata("ev-1", "sv", None)
    assert coordinator.preview_metadata(12, "en") == "12|en"
    assert coordinator.read_preview_metadata("12|en") == (12, "en")
    assert coordinator.read_broadcast_button_value(coordinator.broadcast_button_value(5)) == 5
    assert coordinator.read_home_button_value(coordinator.home_button_value("ev-1")) == "ev-1"


def test_feedback_codec_round_trips():
    assert schedule.feedback_value("ev-1", 4) == "ev-1|4"
    assert schedule.read_feedback_value("ev-1|4") == ("ev-1", 4)


@pytest.mark.parametrize(
    ("decode", "value"),
    [
        (registration.read_button_value, ""),
        (registration.read_button_value, "|sv"),
        (registration.read_modal_metadata, "not json"),
        (registration.read_modal_metadata, "[1, 2]"),
        (coordinator.read_broadcast_modal_metadata, "ev-1|sv|seven"),
        (coordinator.read_preview_metadata, "x|sv"),
        (coordinator.read_preview_metadata, ""),
        (coordinator.read_broadcast_button_value, "12; DROP"),
        (coordinator.read_home_button_value, ""),
        (schedule.read_feedback_value, "ev-1|five"),
        (schedule.read_feedback_value, "ev-1"),
    ],
)
def test_bad_input_is_a_clear_domain_error(decode, value):
    with pytest.raises(BadPayload) as refused:
        decode(value)
    assert isinstance(refused.value, DomainError) and refused.value.code == "ids.bad_payload"
    assert "Ingenting har sparats" in t(refused.value.code, "sv", **refused.value.params)
    assert "Nothing was saved" in t(refused.value.code, "en", **refused.value.params)


def test_no_listener_parses_payloads_inline():
    inline = re.compile(r"json\.loads|\.partition\(|\.split\(\"\|\"\)|\bint\(")
    found = {
        path.name: inline.findall(path.read_text(encoding="utf-8"))
        for path in (ROOT / "handlers").glob("*.py")
    }
    assert {name: hits for name, hits in found.items() if hits} == {}
