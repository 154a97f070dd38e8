"""What a coming post is, in words a coordinator reads on the Home tab (not the outbox's kinds)."""

from __future__ import annotations

from bot.blocks.coordinator import describe_audiences
from bot.coordination.dashboard import NextPost
from bot.events.schema import EventDefinition
from bot.i18n import t
from bot.timefmt import format_datetime

PREVIEW_WORDS = 8
KNOWN_KINDS = frozenset(
    {"deadline-reminder", "closed", "joinlink", "morning", "reminder", "breakout", "feedback",
     "confirmation", "promoted", "fault"}
)  # fmt: skip


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def post_label(post: NextPost, lang: str) -> str:
    """'Länken och programmet till 128 deltagare' for the outbox kind 'joinlink' ×128."""
    key = f"truth.kind.{post.kind}" if post.kind in KNOWN_KINDS else "truth.kind.other"
    return _capitalised(t(key, lang, n=post.count))


def preview(text: str, words: int = PREVIEW_WORDS) -> str:
    """The first words of a message, on one line."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def broadcast_label(post: NextPost, definition: EventDefinition, lang: str) -> str:
    """Which scheduled broadcast this is: its time, its audience and its first words."""
    return t(
        "truth.home.broadcast",
        lang,
        at=format_datetime(post.at, definition.timezone, lang),
        audiences=describe_audiences(definition, list(post.audiences), lang),
        preview=preview(post.text),
    )
