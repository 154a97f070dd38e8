"""The .ics files parse back with icalendar and carry what Outlook and Google need."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from bot.events.loading import load_event_file
from bot.invites.ics import Invitation, build_ics, ics_filename, uid_for
from tests.conftest import EXAMPLE, stockholm

NOW = datetime(2021, 4, 1, 8, 0, tzinfo=UTC)


def _parse(data: bytes):
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_an_invitation_has_the_rfc_5545_fields_and_the_events_timezone():
    definition = load_event_file(EXAMPLE)
    invitation = Invitation(uid_for(definition.slug, "U0PARTIC1"), 0, False, "ida@umu.se", "Ida")
    calendar, event = _parse(build_ics(definition, invitation, now=NOW, lang="sv"))
    assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Stockholm"
    assert str(event["UID"]) == "skelleftea-2021.u0partic1@workshopbot.partnerskapsdag"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTAMP") == NOW
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTSTART") == stockholm(2021, 4, 22, 8, 30)
    assert event.decoded("DTEND") == stockholm(2021, 4, 22, 11, 45)
    assert str(event["SUMMARY"]) == definition.title
    assert str(event["ORGANIZER"]) == "mailto:ida.lindh@skelleftea.se"
    assert event["ORGANIZER"].params["CN"].startswith("Ida Lindh")
    assert str(event["ATTENDEE"]) == "mailto:ida@umu.se"
    assert str(event["URL"]) == definition.join_url == str(event["LOCATION"])
    text = str(event["DESCRIPTION"])
    assert f"Länk: {definition.join_url}" in text
    assert "Kontaktperson: Ida Lindh" in text
    assert "08:15–08:30 Incheckning" in text and "Program:" in text
    assert event["STATUS"] == "CONFIRMED"


def test_without_a_contact_address_it_is_published_and_a_cancel_is_a_cancel():
    definition = load_event_file(EXAMPLE).model_copy(update={"contact": None})
    uid = uid_for(definition.slug, "U1")
    calendar, event = _parse(build_ics(definition, Invitation(uid, 0, False), now=NOW, lang="en"))
    assert calendar["METHOD"] == "PUBLISH" and "ORGANIZER" not in event
    calendar, event = _parse(build_ics(definition, Invitation(uid, 3, True), now=NOW, lang="en"))
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 3
    assert str(event["UID"]) == uid


def test_the_description_is_serialised_once_per_event_version_and_language():
    from bot.invites.ics import description

    definition = load_event_file(EXAMPLE)
    invitation = Invitation(uid_for(definition.slug, "U0PARTIC1"), 0, False, "ida@umu.se", "Ida")
    for lang in ("sv", "en", "sv"):  # the second "sv" comes from the cache
        _, event = _parse(build_ics(definition, invitation, now=NOW, lang=lang))
        assert str(event["DESCRIPTION"]) == description(definition, lang)
    moved = definition.model_copy(update={"join_url": "https://example.zoom.us/j/999"})
    _, event = _parse(build_ics(moved, invitation, now=NOW, lang="sv"))
    assert "https://example.zoom.us/j/999" in str(event["DESCRIPTION"])
    assert str(event["DESCRIPTION"]) == description(moved, "sv")


def test_the_file_is_named_in_the_persons_language():
    definition = load_event_file(EXAMPLE)
    invite = Invitation(uid_for(definition.slug, "U0PARTIC1"), 0, False, "ida@umu.se", "Ida")
    cancel = Invitation(uid_for(definition.slug, "U0PARTIC1"), 1, True, "ida@umu.se", "Ida")
    assert ics_filename(definition, invite, "sv") == "skelleftea-2021.ics"
    assert ics_filename(definition, invite, "en") == "skelleftea-2021.ics"
    assert ics_filename(definition, cancel, "sv") == "skelleftea-2021-avbokad.ics"
    assert ics_filename(definition, cancel, "en") == "skelleftea-2021-cancelled.ics"
