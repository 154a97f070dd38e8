"""Parsing the text after /anmal into what the person asked for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.events.schema_base import SLUG_PATTERN
from bot.events.vocabulary import ACTION_WORDS, LANGUAGE_WORDS


class AnmalAction(StrEnum):
    OPEN = "open"
    GROUPS = "groups"
    STATUS = "status"
    CANCEL = "cancel"
    ERASE = "erase"
    HELP = "help"
    MYDATA = "mydata"
    UNKNOWN = "unknown"


_WORDS = {AnmalAction(action): words for action, words in ACTION_WORDS.items()}


@dataclass(frozen=True)
class AnmalCommand:
    action: AnmalAction
    slug: str | None = None
    lang: str | None = None
    text: str = ""


def parse_anmal(text: str) -> AnmalCommand:
    """'/anmal', '/anmal SLUG', '/anmal status [SLUG] [en]', … ; anything else is UNKNOWN."""
    raw = (text or "").strip()
    words = raw.lower().split()
    lang = None
    if words and words[-1] in LANGUAGE_WORDS:
        lang = "en" if words.pop() in {"en", "english"} else "sv"
    if not words:
        return AnmalCommand(AnmalAction.OPEN, lang=lang, text=raw)
    head, rest = words[0], words[1:]
    for action, names in _WORDS.items():
        if head in names:
            if len(rest) > 1 or (rest and not re.match(SLUG_PATTERN, rest[0])):
                return AnmalCommand(AnmalAction.UNKNOWN, lang=lang, text=raw)
            return AnmalCommand(action, slug=rest[0] if rest else None, lang=lang, text=raw)
    if len(words) == 1 and re.match(SLUG_PATTERN, head):
        return AnmalCommand(AnmalAction.OPEN, slug=head, lang=lang, text=raw)
    return AnmalCommand(AnmalAction.UNKNOWN, lang=lang, text=raw)
