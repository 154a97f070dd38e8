"""Texts that follow a person's status and what the event really says (issue 10)."""

TEXTS = {
    "sv": {
        "truth.meeting": "mötet",
        "truth.link_before_day": "Länken till {service} skickas till dig innan dagen.",
        "truth.join.link": "Anslut till {service} här: {link}",
        "truth.waitlist.commands": "Ändra med `/anmal {slug}`, se din plats med `/anmal status`, lämna väntelistan med `/anmal avanmal`.",
        "truth.cancel.confirm_waitlisted": "Vill du lämna väntelistan till *{title}*? Du står nu som nummer *{position}* och förlorar den platsen i kön.",
        "truth.closed.waitlisted": "Anmälan till *{title}* stängde {deadline}, men du står kvar på väntelistan som nummer *{position}*. Blir en plats ledig får du ett meddelande här.",
        "truth.closed.registered": "Anmälan till *{title}* stängde {deadline}. Du är anmäld och har kvar din plats. Vill du ändra något? Kontakta {contact}.",
    },
    "en": {
        "truth.meeting": "the meeting",
        "truth.link_before_day": "The link to {service} will reach you before the day.",
        "truth.join.link": "Join {service} here: {link}",
        "truth.waitlist.commands": "Change with `/anmal {slug}`, see your place with `/anmal status`, leave the waitlist with `/anmal avanmal`.",
        "truth.cancel.confirm_waitlisted": "Leave the waitlist for *{title}*? You are number *{position}* now and will lose that place in the queue.",
        "truth.closed.waitlisted": "Registration for *{title}* closed {deadline}, but you are still on the waitlist at place *{position}*. If a seat frees up you will hear from me here.",
        "truth.closed.registered": "Registration for *{title}* closed {deadline}. You are registered and keep your seat. Want to change something? Contact {contact}.",
    },
}
