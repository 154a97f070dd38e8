"""Texts of the payload codecs (bot/ids): what a person sees when a button or form payload could
not be read."""

TEXTS = {
    "sv": {
        "ids.bad_payload": "Det du skickade kunde inte läsas (det kan komma från ett äldre meddelande). Ingenting har sparats eller skickats. Försök igen.",
    },
    "en": {
        "ids.bad_payload": "What you sent could not be read (it may come from an older message). Nothing was saved or sent. Please try again.",
    },
}
