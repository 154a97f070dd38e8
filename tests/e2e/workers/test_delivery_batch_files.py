"""The inbox worker's batch delivery sends issue 12's file uploads as deliver does: a calendar
file goes up as a file (inline, or on the file thread with files_later), exactly once."""

from __future__ import annotations

from sqlalchemy import select

from bot import outbox
from bot.settings import Settings
from runtime.bootstrap import build_app
from storage.models import OutboxMessage, OutboxStatus

ICS = {"filename": "dag.ics", "title": "Dagen", "mime": "text/calendar",
       "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"}  # fmt: skip


def _services(db, clock, slack):
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
    )
    return build_app(settings, db, clock=clock)[1]


def _enqueue(db, clock, key, **fields):
    with db.transaction() as session:
        return outbox.enqueue(session, key=key, now=clock.now(), **fields)


def test_a_batch_uploads_a_calendar_file_once(db, clock, slack):
    services = _services(db, clock, slack)
    try:
        dm = _enqueue(db, clock, "dm", channel="U0PERSON1", text="Du är anmäld", kind="test")
        ics = _enqueue(db, clock, "ics", channel="U0PERSON1", text="Lägg in i kalendern",
                       kind="calendar", attachment=ICS)  # fmt: skip
        assert services.deliverer.deliver_batch([dm, ics]) == 2
        assert services.deliverer.deliver_batch([dm, ics]) == 0
        assert len(slack.calls_to("files.completeUploadExternal")) == 1
        with db.transaction() as session:
            assert set(session.scalars(select(OutboxMessage.status))) == {OutboxStatus.SENT}
    finally:
        services.close()


def test_files_later_sends_the_file_on_the_file_thread(db, clock, slack):
    services = _services(db, clock, slack)
    try:
        dm = _enqueue(db, clock, "dm", channel="U0PERSON1", text="Du är anmäld", kind="test")
        ics = _enqueue(db, clock, "ics", channel="U0PERSON1", text="Lägg in i kalendern",
                       kind="calendar", attachment=ICS)  # fmt: skip
        assert services.deliverer.deliver_batch([dm, ics], files_later=True) == 1  # the DM
    finally:
        services.close()  # lets the file thread finish what it was given
    assert len(slack.calls_to("files.completeUploadExternal")) == 1
    with db.transaction() as session:
        assert set(session.scalars(select(OutboxMessage.status))) == {OutboxStatus.SENT}
