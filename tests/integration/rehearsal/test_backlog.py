"""The rehearsal's look at the app's unfinished work (rehearsal.database.Backlog): the SQL it
sends on a kept DB-API connection counts what the SQLAlchemy statement counts."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete

from bot import outbox, outbox_sending
from rehearsal.database import Backlog
from storage.models import InboxItem


def _record(db, now) -> None:
    with db.transaction() as session:
        for n, (due, kind) in enumerate(
            [(-60, "dm"), (-1, "dm"), (0, "dm"), (1, "dm"), (0, "calendar"), (-5, "calendar")]
        ):
            outbox.enqueue(session, key=f"k{n}", channel="U1", text="x", kind=kind, now=now,
                           due_at=now + timedelta(seconds=due))  # fmt: skip
        session.add(InboxItem(event_slug="e", user_id="U1", kind="register", payload={},
                              lang="sv", received_at=now))  # fmt: skip


def test_the_backlog_counts_due_unsent_messages_and_waiting_submissions(db, clock):
    now = clock.now()
    backlog = Backlog(db)
    try:
        assert backlog.count(now, files=True) == 0
        _record(db, now)  # written after the connection was taken: a look sees every commit
        assert backlog.count(now, files=False) == 3 + 1  # due to the microsecond; no uploads
        assert backlog.count(now, files=True) == 5 + 1
        assert backlog.count(now - timedelta(microseconds=1), files=False) == 2 + 1
        assert backlog.count(now.astimezone(ZoneInfo("America/New_York")), files=False) == 4
        with db.transaction() as session:
            outbox_sending.mark_sent(session, 1, now=now, slack_ts="1.1")
            session.execute(delete(InboxItem))
        assert backlog.count(now, files=False) == 2
    finally:
        backlog.close()
