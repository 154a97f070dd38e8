"""Which meeting service an event's link leads to, named only when it is known."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.events.schema import EventDefinition
from bot.i18n import t

# host suffix -> the service's name as people say it
KNOWN_HOSTS = (
    ("zoom.us", "Zoom"),
    ("teams.microsoft.com", "Teams"),
    ("teams.live.com", "Teams"),
    ("meet.google.com", "Google Meet"),
    ("webex.com", "Webex"),
)


def meeting_service(definition: EventDefinition) -> str | None:
    """The event file's `meeting_service`, else the service recognised from the link, else None."""
    if definition.meeting_service:
        return definition.meeting_service
    if not definition.join_url:
        return None
    host = (urlsplit(definition.join_url).hostname or "").lower()
    for suffix, name in KNOWN_HOSTS:
        if host == suffix or host.endswith("." + suffix):
            return name
    return None


def meeting_name(definition: EventDefinition, lang: str) -> str:
    """'Zoom', 'Teams', … or 'mötet' / 'the meeting' when the service is not known."""
    return meeting_service(definition) or t("truth.meeting", lang)
