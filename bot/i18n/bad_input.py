"""Texts for refused input and for deliveries whose fate is unknown (keys `bad_input.`)."""

from __future__ import annotations

TEXTS = {
    "sv": {
        "bad_input.err.unstorable": (
            "Texten innehåller tecken som inte går att spara (t.ex. ett nolltecken). Ta bort dem."
        ),
    },
    "en": {
        "bad_input.err.unstorable": (
            "The text contains characters that cannot be stored (such as a NUL). Please remove them."
        ),
    },
}
