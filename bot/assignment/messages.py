"""User-facing explanations of a placement, one table per language."""

from __future__ import annotations

from bot.assignment.models import Participant, Placement, Reason

_TEXTS: dict[str, dict[Reason, str]] = {
    "sv": {
        Reason.FIRST_CHOICE: "Du fick ditt förstahandsval.",
        Reason.SECOND_CHOICE_FIRST_FULL: (
            "Ditt förstahandsval var fullt; du fick ditt andrahandsval."
        ),
        Reason.SECOND_CHOICE_ORG_CAP: (
            "Ditt förstahandsval hade redan så många från din organisation som vi tillåter, "
            "för att blanda deltagarna; du fick ditt andrahandsval."
        ),
        Reason.THIRD_CHOICE_EARLIER_FULL: (
            "Ditt första- och andrahandsval var fulla; du fick ditt tredjehandsval."
        ),
        Reason.THIRD_CHOICE_ORG_CAP: (
            "Dina högre val var fulla eller hade redan så många från din organisation som vi "
            "tillåter; du fick ditt tredjehandsval."
        ),
        Reason.CHOICES_FULL: (
            "Alla dina val var fulla; du placerades i den grupp där det fanns bäst plats."
        ),
        Reason.NO_PREFERENCE: (
            "Du angav inga önskemål; du placerades i den grupp där det fanns bäst plats."
        ),
        Reason.PINNED: "En samordnare placerade dig i den här gruppen.",
    },
    "en": {
        Reason.FIRST_CHOICE: "You got your first choice.",
        Reason.SECOND_CHOICE_FIRST_FULL: "Your first choice was full; you got your second choice.",
        Reason.SECOND_CHOICE_ORG_CAP: (
            "Your first choice already had as many people from your organisation as we allow, "
            "to mix participants; you got your second choice."
        ),
        Reason.THIRD_CHOICE_EARLIER_FULL: (
            "Your first and second choices were full; you got your third choice."
        ),
        Reason.THIRD_CHOICE_ORG_CAP: (
            "Your higher choices were full or already had as many people from your "
            "organisation as we allow; you got your third choice."
        ),
        Reason.CHOICES_FULL: "All your choices were full; you were placed where there was room.",
        Reason.NO_PREFERENCE: (
            "You listed no preference; you were placed in the group where there was room."
        ),
        Reason.PINNED: "A coordinator placed you in this group.",
    },
}


def explain(placement: Placement, participant: Participant, lang: str = "sv") -> str:
    """Explain one placement to its participant in Swedish (default) or English."""
    if placement.participant_id != participant.id:
        raise ValueError("placement and participant do not match")
    texts = _TEXTS.get(lang)
    if texts is None:
        raise ValueError(f"unsupported language: {lang}")
    return texts[placement.reason]
