"""End to end: the calendar invitation arrives as a file in the DM, and so does its CANCEL."""

from __future__ import annotations

import json

from icalendar import Calendar

from bot.ids.registration import Action
from bot.registration.form import FormField
from tests.conftest import load
from tests.support.forms import USER, register


def _calendars(bot, count: int) -> list[tuple[str, Calendar, dict]]:
    """The first count files shared, parsed: (channel, calendar, completeUploadExternal params)."""
    done = bot.slack.wait_for("files.completeUploadExternal", count)
    out = []
    for call in done[:count]:
        files = call.params["files"]
        file_id = (json.loads(files) if isinstance(files, str) else files)[0]["id"]
        out.append((call.params["channel_id"], Calendar.from_ical(bot.slack.uploads[file_id]),
                    call.params))  # fmt: skip
    return out


def test_registration_uploads_an_invitation_and_cancelling_a_cancel(bot, db, clock, example):
    load(db, example, clock)
    register(bot, **{FormField.EMAIL: "ida@skelleftea.se"})
    ((channel, calendar, params),) = _calendars(bot, 1)
    assert channel == "D0PARTIC1"  # the person's DM
    # the confirmation came first, and its answer told the DM's id: no conversations.open
    (confirmation,) = bot.slack.posts(USER)
    assert confirmation.at < bot.slack.calls_to("files.getUploadURLExternal")[0].at
    assert bot.slack.calls_to("conversations.open") == []
    assert "Kalenderinbjudan för *Digital partnerskapsdag" in params["initial_comment"]
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 0
    assert str(event["ATTENDEE"]) == "mailto:ida@skelleftea.se"
    uid = str(event["UID"])

    buttons = bot.sender.command("/anmal", "avanmal", USER).json()["blocks"][1]["elements"]
    bot.sender.click(Action.CANCEL_YES, buttons[0]["value"], USER,
                     response_url=bot.slack.response_url)  # fmt: skip
    _, cancelled, params = _calendars(bot, 2)[1]
    (event,) = cancelled.walk("VEVENT")
    assert cancelled["METHOD"] == "CANCEL" and event["SEQUENCE"] == 1
    assert str(event["UID"]) == uid and event["STATUS"] == "CANCELLED"
    assert "ta bort dagen ur din kalender" in params["initial_comment"]


def test_a_refused_upload_is_reported_to_the_coordinators_and_not_retried_forever(
    bot, db, clock, example
):
    load(db, example, clock)
    bot.slack.fail("files.getUploadURLExternal", "cannot_dm_bot", times=1)
    register(bot)
    reports = bot.slack.wait_for_posts("U01JGARDEST")
    assert "cannot_dm_bot" in reports[-1].params["text"]
