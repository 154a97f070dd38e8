"""Texts for refused input and for deliveries whose fate is unknown (keys `bad_input.`; the one
`coord.err.` key is here because the broadcast modal shows `coord.err.*` inline under a field)."""

from __future__ import annotations

TEXTS = {
    "sv": {
        "bad_input.progress.unknown": (":grey_question: Utfall okänt för {n} (utskicket avbröts):"),
        "bad_input.retry_unknown": "Skicka även till dem med okänt utfall",
        "bad_input.interrupted.one": (
            ":grey_question: Boten stoppades medan den skickade; det är okänt om meddelandet kom "
            "fram till {n} mottagare:\n{targets}\nDet skickas inte om automatiskt "
            "(hellre en lucka än en dubblett)."
        ),
        "bad_input.interrupted": (
            ":grey_question: Boten stoppades medan den skickade; det är okänt om meddelandena kom "
            "fram till {n} mottagare:\n{targets}\nDe skickas inte om automatiskt "
            "(hellre en lucka än en dubblett)."
        ),
        "bad_input.err.unstorable": (
            "Texten innehåller tecken som inte går att spara (t.ex. ett nolltecken). Ta bort dem."
        ),
        "coord.err.unstorable": (
            "Texten innehåller tecken som inte går att spara (t.ex. ett nolltecken). Ta bort dem."
        ),
        "bad_input.feedback.not_a_participant": (
            "Bara den som var anmäld till dagen kan svara på frågan. Ditt svar sparades inte."
        ),
        "bad_input.feedback.too_early": (
            "Frågan om dagen går att besvara först när dagen har börjat. Ditt svar sparades inte."
        ),
        "bad_input.feedback.unknown_event": (
            "Dagen som frågan gällde finns inte längre. Ditt svar sparades inte."
        ),
    },
    "en": {
        "bad_input.progress.unknown": (
            ":grey_question: Outcome unknown for {n} (the broadcast was cut off):"
        ),
        "bad_input.retry_unknown": "Also send to those with unknown outcome",
        "bad_input.interrupted.one": (
            ":grey_question: The bot stopped while sending; it is unknown whether the message "
            "reached {n} recipient:\n{targets}\nIt will not be sent again automatically "
            "(better a gap than a duplicate)."
        ),
        "bad_input.interrupted": (
            ":grey_question: The bot stopped while sending; it is unknown whether the messages "
            "reached {n} recipients:\n{targets}\nThey will not be sent again automatically "
            "(better a gap than a duplicate)."
        ),
        "bad_input.err.unstorable": (
            "The text contains characters that cannot be stored (such as a NUL). Please remove them."
        ),
        "coord.err.unstorable": (
            "The text contains characters that cannot be stored (such as a NUL). Please remove them."
        ),
        "bad_input.feedback.not_a_participant": (
            "Only those registered for the day can answer. Your answer was not stored."
        ),
        "bad_input.feedback.too_early": (
            "The question about the day can be answered once the day has begun. "
            "Your answer was not stored."
        ),
        "bad_input.feedback.unknown_event": (
            "The day this question was about no longer exists. Your answer was not stored."
        ),
    },
}
