"""The page's own words: both languages, the same placeholders, a singular where one is due."""

from __future__ import annotations

import string

from bot.i18n import ONE
from rehearsal.page.texts import TEXTS, tr


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_word_exists_in_both_languages_with_the_same_placeholders():
    assert TEXTS["sv"].keys() == TEXTS["en"].keys()
    for key, swedish in TEXTS["sv"].items():
        assert _fields(swedish) == _fields(TEXTS["en"][key]), key
        if key.endswith(ONE):
            assert _fields(swedish) == _fields(TEXTS["sv"][key.removesuffix(ONE)]), key


def test_one_post_is_one_message():
    assert tr("timeline.posts", "sv", n=1) == "1 meddelande"
    assert tr("timeline.posts", "sv", n=3) == "3 meddelanden"
    assert tr("timeline.posts", "en", n=1) == "1 message"
