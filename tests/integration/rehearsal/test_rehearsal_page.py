"""The page of a small rehearsal: in the event's language, listing every file in the folder."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from rehearsal.partners import SHARED_CHANNEL_NAME
from rehearsal.run import Rehearsal


@pytest.fixture
def english_day(example, tmp_path):
    rehearsal = Rehearsal(example.model_copy(update={"language": "en"}), participants=6, seed=2,
                          partners=0)  # fmt: skip
    try:
        rehearsal.run()
        rehearsal.artifacts.add("e-post/Anna Berg/inbjudan <1>.eml", b"Subject: x\n\nhej")
        written = rehearsal.write_files(tmp_path)
    finally:
        rehearsal.close()
    return tmp_path, written


def test_an_english_event_gets_an_english_page(english_day):
    out, _ = english_day
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Rehearsal: Digital partnerskapsdag" in html
    assert "One person&#x27;s view" in html and "Registrations over time" in html
    opened = [re.search(r'<div class="modal-head">([^<]*)<', m).group(1)
              for m in html.split("A modal opens")[1:]]  # fmt: skip
    assert opened.count("Registration") == 6  # each person's registration form
    assert set(opened) <= {"Registration", "Group notes", "Your comment"}  # and the workshop's
    assert "Only visible to you" in html  # the late registration's answer to /anmal
    assert "You are registered for <b>Digital partnerskapsdag" in html  # the bot's English
    assert "Participants who tried: 6; registered 6 of 120 seats" in html  # the summary too
    assert "Modal öppnas" not in html and "Tidslinje" not in html


def test_the_page_lists_and_links_every_file_next_to_it(english_day):
    out, written = english_day
    html = (out / "index.html").read_text(encoding="utf-8")
    assert written[0] == out / "index.html"
    links = [unquote(link) for link in re.findall(r'<li><a href="([^"]+)">', html)]
    # every file beside the page (issue 12: each registered person's calendar file too)
    assert links == sorted(path.relative_to(out).as_posix() for path in written[1:])
    assert links[0] == "e-post/Anna_Berg/inbjudan_1_.eml"
    # uploads are kept by the name the page gives their DM (issue 12), not the DM's channel id
    # (in the event's language: "coordinator …" and "documentation-…" here, "samordnare …" and
    # "dokumentation-…" for a Swedish event)
    docs = ["uploads/coordinator_U01IDALINDH/documentation-skelleftea-2021.docx",
            "uploads/coordinator_U01JGARDEST/documentation-skelleftea-2021.docx"]  # fmt: skip
    assert [link for link in links if link.endswith(".docx")] == docs  # one per coordinator
    assert all((out / doc).read_bytes().startswith(b"PK") for doc in docs)  # a .docx (zip)
    assert (out / links[0]).read_bytes() == b"Subject: x\n\nhej"


def test_group_channels_are_shown_as_channels(example, tmp_path):
    schedule = example.schedule.model_copy(update={"group_channels": True})
    rehearsal = Rehearsal(example.model_copy(update={"schedule": schedule}), participants=10)
    try:
        rehearsal.run()
        rehearsal.write_files(tmp_path)
        created = {str(c.params["name"]) for c in rehearsal.slack.calls_to("conversations.create")}
    finally:
        rehearsal.close()
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    shown = dict(re.findall(r'<option value="c\d+">#([^<]*) \((\d+)\)</option>', html))
    assert next(iter(shown)) == "partnerskapsdag-skelleftea"
    assert shown.pop(SHARED_CHANNEL_NAME) == "1"  # the partners' channel, by name: the card
    del shown["partnerskapsdag-skelleftea"]
    assert created and set(shown) == created
    assert all(int(count) == 2 for count in shown.values())  # one post per breakout
