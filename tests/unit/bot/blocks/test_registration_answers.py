"""plan_anmal returns plain results; build_answer words them (text and blocks) for Slack."""

from __future__ import annotations

from bot.blocks.registration_messages import build_answer
from bot.i18n import t
from bot.ids.registration import Action, read_button_value
from bot.registration.plans import ConfirmChange, Help, PickEvent, Reply


def _action_ids(blocks):
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_a_reply_is_text_only():
    assert build_answer(Reply("Hej")) == ("Hej", None)


def test_help_follows_the_prefix():
    text, blocks = build_answer(Help("sv", example_slug="skelleftea-2021", prefix="Okänt."))
    assert text == "Okänt.\n\n" + t("reg.help", "sv", example="skelleftea-2021")
    assert blocks is None


def test_pick_event_has_one_button_per_event(example):
    text, blocks = build_answer(PickEvent([example, example], "en"))
    assert text == t("reg.pick_event", "en")
    buttons = [b["accessory"] for b in blocks if b.get("accessory")]
    assert [b["action_id"] for b in buttons] == [Action.PICK_EVENT] * 2
    assert read_button_value(buttons[0]["value"]) == (example.slug, "en")


def test_confirmations_ask_before_cancelling_or_erasing(example):
    text, blocks = build_answer(ConfirmChange(example, "sv"))
    assert text == t("reg.cancel.confirm", "sv", title=example.title)
    assert _action_ids(blocks) == [Action.CANCEL_YES, Action.CANCEL_NO]
    text, blocks = build_answer(ConfirmChange(example, "sv", erase=True))
    assert text == t("reg.erase.confirm", "sv", title=example.title)
    assert _action_ids(blocks) == [Action.ERASE_YES, Action.ERASE_NO]
