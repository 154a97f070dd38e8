"""Why a participant got their breakout group (bot.assignment.explain), one text per Reason."""

TEXTS = {
    "sv": {
        "assign.reason.FIRST_CHOICE": "Du fick ditt förstahandsval.",
        "assign.reason.SECOND_CHOICE_FIRST_FULL": "Ditt förstahandsval var fullt; du fick ditt andrahandsval.",
        "assign.reason.SECOND_CHOICE_ORG_CAP": "Ditt förstahandsval hade redan så många från din organisation som vi tillåter, för att blanda deltagarna; du fick ditt andrahandsval.",
        "assign.reason.THIRD_CHOICE_EARLIER_FULL": "Dina första- och andrahandsval var fulla; du fick ditt tredjehandsval.",
        "assign.reason.THIRD_CHOICE_ORG_CAP": "Dina första- och andrahandsval var fulla eller hade redan så många från din organisation som vi tillåter; du fick ditt tredjehandsval.",
        "assign.reason.CHOICES_FULL": "Alla dina val var fulla; du placerades i den grupp där det fanns mest plats.",
        "assign.reason.NO_PREFERENCE": "Du angav inga önskemål; du placerades i den grupp där det fanns mest plats.",
        "assign.reason.PINNED": "En samordnare placerade dig i den här gruppen.",
    },
    "en": {
        "assign.reason.FIRST_CHOICE": "You got your first choice.",
        "assign.reason.SECOND_CHOICE_FIRST_FULL": "Your first choice was full; you got your second choice.",
        "assign.reason.SECOND_CHOICE_ORG_CAP": "Your first choice already had as many people from your organisation as we allow, to mix participants; you got your second choice.",
        "assign.reason.THIRD_CHOICE_EARLIER_FULL": "Your first and second choices were full; you got your third choice.",
        "assign.reason.THIRD_CHOICE_ORG_CAP": "Your first and second choices were full or already had as many people from your organisation as we allow; you got your third choice.",
        "assign.reason.CHOICES_FULL": "All your choices were full; you were placed in the group with the most room.",
        "assign.reason.NO_PREFERENCE": "You listed no preference; you were placed in the group with the most room.",
        "assign.reason.PINNED": "A coordinator placed you in this group.",
    },
}
