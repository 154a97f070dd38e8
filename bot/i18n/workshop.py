"""Texts of the workshop half of the day: group notes, regroup summaries, documentation, follow-up."""

TEXTS = {
    "sv": {
        "workshop.notes.button": "Gruppens anteckningar",
        "workshop.notes.title": "Gruppens anteckningar",
        "workshop.notes.save": "Spara",
        "workshop.notes.close": "Stäng",
        "workshop.notes.intro": "*{group}*\nAlla i gruppen kan skriva och ändra anteckningarna; den senaste ändringen gäller. Det ni skriver sammanfattas vid återsamlingen och kommer med i dagens dokumentation.",
        "workshop.notes.last": "Senast ändrat av <@{user}> {when}.",
        "workshop.notes.saved": "Tack! Gruppens anteckningar är sparade ({count} svar ändrade).",
        "workshop.notes.unchanged": "Inget ändrades i gruppens anteckningar.",
        "workshop.notes.not_member": "Du är inte med i gruppen *{group}*, så du kan inte skriva i dess anteckningar. Bara gruppens medlemmar kan det; ingenting har sparats.",
        "workshop.notes.no_questions": "Evenemanget har inga workshopfrågor, så det finns inga anteckningar att skriva.",
        "workshop.notes.error": "Något gick fel; anteckningarna sparades inte. Försök igen om en stund.",
    },
    "en": {
        "workshop.notes.button": "Group notes",
        "workshop.notes.title": "Group notes",
        "workshop.notes.save": "Save",
        "workshop.notes.close": "Close",
        "workshop.notes.intro": "*{group}*\nEveryone in the group can write and edit the notes; the latest edit counts. What you write is summarised at the regroup and goes into the day's documentation.",
        "workshop.notes.last": "Last edited by <@{user}> {when}.",
        "workshop.notes.saved": "Thank you! The group's notes are saved ({count} answers changed).",
        "workshop.notes.unchanged": "Nothing changed in the group's notes.",
        "workshop.notes.not_member": "You are not in the group *{group}*, so you cannot write its notes. Only the group's members can; nothing was stored.",
        "workshop.notes.no_questions": "The event has no workshop questions, so there are no notes to write.",
        "workshop.notes.error": "Something went wrong; the notes were not saved. Please try again in a moment.",
    },
}
