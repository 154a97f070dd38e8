"""An inbox batch (the deadline rush) carries issue 12's parts exactly as one at a time does: a
partner's home team and typed e-mail, the profile e-mail, and a calendar file for each seat."""

from __future__ import annotations

from sqlalchemy import select

from bot.intake import inbox
from bot.registration.form import FormField
from storage.models import CalendarInvite, OutboxMessage, Registration
from tests.conftest import load

VALUES = {
    FormField.NAME: "Ida",
    FormField.ORGANISATION: "Umeå universitet",
    FormField.CHOICE_1: "ai",
    FormField.CHOICE_2: "energi",
    FormField.CONSENT: True,
}


def _record(db, slug, user, now, **extra):
    values = {**{str(k): v for k, v in VALUES.items()}, **extra}
    with db.transaction() as session:
        inbox.record(session, kind=inbox.REGISTER, slug=slug, user_id=user, values=values,
                     lang="sv", view_id=f"V{user}", now=now)  # fmt: skip


def test_a_batch_keeps_team_email_and_sends_each_seat_its_calendar_file(db, clock, example):
    load(db, example, clock)
    _record(db, example.slug, "U1", clock.now(), **{inbox.EMAIL_KEY: "ida@umu.se"})
    _record(db, example.slug, "UPARTNER", clock.now(),
            **{inbox.TEAM_KEY: "T0PARTNER", str(FormField.EMAIL): "pia@partner.se"})  # fmt: skip
    with db.transaction() as session:
        processed = inbox.process_batch(session, example.slug, now=clock.now(), limit=50).done
    assert [p.user_id for p in processed] == ["U1", "UPARTNER"]
    with db.transaction() as session:
        people = {r.user_id: (r.team_id, r.email) for r in session.scalars(select(Registration))}
        calendars = sorted(session.scalars(
            select(OutboxMessage.channel).where(OutboxMessage.kind == "calendar")
        ))  # fmt: skip
        invites = sorted(session.scalars(select(CalendarInvite.user_id)))
    assert people == {"U1": (None, "ida@umu.se"), "UPARTNER": ("T0PARTNER", "pia@partner.se")}
    assert calendars == ["U1", "UPARTNER"] and invites == ["U1", "UPARTNER"]
    assert all(set(p.outbox_ids) for p in processed)  # each told: confirmation and file
