"""Words that are true: the deadline, the scale, the hint, where coordinators look, privacy."""

from __future__ import annotations

import pytest

from bot.blocks.registration_modal import Prefill, build_registration_modal
from bot.blocks.schedule_messages import build_feedback_question
from bot.events.loading import load_event_file
from bot.i18n import t
from bot.schedule import texts
from tests.conftest import EXAMPLE


@pytest.fixture
def example():
    return load_event_file(EXAMPLE)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_the_deadline_reminder_names_the_closing_day_with_its_date(example):
    swedish = texts.deadline_reminder(example, 10)
    assert "Sista dag att anmäla sig" not in swedish
    assert "sista dag för anmälan är fredag 16 april 2021 kl. 16:30" in swedish
    english = texts.deadline_reminder(example.model_copy(update={"language": "en"}), 10)
    assert "registration closes on Friday 16 April 2021 at 16:30" in english


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_coordinators_are_not_sent_to_a_shell(lang):
    text = t("sched.missed", lang, n=2, posts="• x")
    assert "python app.py" not in text
    assert ("fliken Hem" if lang == "sv" else "Home tab") in text


@pytest.mark.parametrize(
    ("lang", "low", "high"),
    [("sv", "1 – Inte alls nöjd", "5 – Mycket nöjd"),
     ("en", "1 – Not at all satisfied", "5 – Very satisfied")],
)  # fmt: skip
def test_the_feedback_buttons_carry_scale_words(lang, low, high):
    blocks = build_feedback_question("Hur nöjd?", "skelleftea-2021", lang)
    labels = [e["text"]["text"] for e in blocks[1]["elements"]]
    assert labels[0] == low and labels[-1] == high and len(labels) == 5
    assert [e["value"] for e in blocks[1]["elements"]][2] == "skelleftea-2021|3"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_plain_text_in_the_modal_shows_backticks(example, lang):
    view = build_registration_modal(example, prefill=Prefill(), seats_left=3, lang=lang).to_dict()
    texts_ = [n for n in _walk(view) if n.get("type") in ("plain_text", "mrkdwn")]
    assert not [n["text"] for n in texts_ if n["type"] == "plain_text" and "`" in n["text"]]
    assert any("`/anmal radera`" in n["text"] for n in texts_ if n["type"] == "mrkdwn")


def test_the_modal_links_the_privacy_notice_and_names_the_controller(example):
    view = build_registration_modal(example, prefill=Prefill(), seats_left=3, lang="sv").to_dict()
    mrkdwn = " ".join(n["text"] for n in _walk(view) if n.get("type") == "mrkdwn")
    assert f"<{example.privacy.url}|" in mrkdwn
    assert f"Personuppgiftsansvarig: {example.privacy.controller}" in mrkdwn
    plain = example.model_copy(update={"privacy": None})
    view = build_registration_modal(plain, prefill=Prefill(), seats_left=3, lang="sv").to_dict()
    assert "Personuppgiftsansvarig" not in str(view)
