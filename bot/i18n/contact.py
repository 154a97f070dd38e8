"""Who to contact when an event names no contact person and no coordinators."""

TEXTS = {
    "sv": {"contact.organisers": "arrangörerna"},
    "en": {"contact.organisers": "the organisers"},
}
