"""User-facing explanations of a placement (texts in bot/i18n/assignment.py)."""

from __future__ import annotations

from bot.assignment.models import Participant, Placement
from bot.i18n import LANGUAGES, t


def explain(placement: Placement, participant: Participant, lang: str = "sv") -> str:
    """Explain one placement to its participant in Swedish (default) or English."""
    if placement.participant_id != participant.id:
        raise ValueError("placement and participant do not match")
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang}")
    return t(f"assign.reason.{placement.reason}", lang)
