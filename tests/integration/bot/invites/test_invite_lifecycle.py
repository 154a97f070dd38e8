"""Calendar invitations follow a registration: invite, cancel, promotion, reload, cancelled day."""

from __future__ import annotations

import yaml
from icalendar import Calendar
from sqlalchemy import select

from bot.events.service import upsert_event
from bot.intake import flows
from bot.invites import service as invites
from bot.registration.form import RegistrationForm
from cli.main import main as cli
from storage.models import OutboxMessage
from tests.conftest import EXAMPLE, load


def _form(name: str, email: str = "") -> RegistrationForm:
    return RegistrationForm(name=name, organisation="Umeå universitet", role="",
                            preferences=("ai",), comment="", consent=True, email=email)  # fmt: skip


def _files(db, user_id: str) -> list[tuple[str, int, str, str]]:
    """(METHOD, SEQUENCE, UID, DTSTART) of every calendar file recorded for user_id, in order."""
    with db.transaction() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == invites.KIND, OutboxMessage.channel == user_id)
            .order_by(OutboxMessage.id)
        ).all()
        out = []
        for row in rows:
            calendar = Calendar.from_ical(row.attachment["content"])
            (event,) = calendar.walk("VEVENT")
            out.append((str(calendar["METHOD"]), int(event["SEQUENCE"]), str(event["UID"]),
                        event.decoded("DTSTART").strftime("%H:%M")))  # fmt: skip
        return out


def test_invite_on_seat_cancel_on_cancellation_invite_on_promotion(db, clock, example):
    one_seat = example.registration.model_copy(update={"seat_limit": 1})
    load(db, example.model_copy(update={"registration": one_seat}), clock)
    slug, now = example.slug, clock.now()
    flows.register(db, slug=slug, user_id="UA", form=_form("A", "a@umu.se"), locale="sv", now=now)
    flows.register(db, slug=slug, user_id="UB", form=_form("B"), locale="sv", now=now)
    assert [f[:2] for f in _files(db, "UA")] == [("REQUEST", 0)]
    assert _files(db, "UB") == []  # waitlisted: no seat, no calendar entry yet
    flows.register(db, slug=slug, user_id="UA", form=_form("A", "a@umu.se"), locale="sv", now=now)
    assert len(_files(db, "UA")) == 1  # the same form again sends nothing new
    result = flows.cancel(db, slug=slug, user_id="UA", now=now)
    assert result.outcome.promoted_user_ids == ["UB"]
    assert [f[:2] for f in _files(db, "UA")] == [("REQUEST", 0), ("CANCEL", 1)]
    assert _files(db, "UA")[0][2] == _files(db, "UA")[1][2]  # one UID per person and event
    assert [f[:2] for f in _files(db, "UB")] == [("REQUEST", 0)]


def test_erasure_forgets_the_invitations(db, clock, example):
    load(db, example, clock)
    now = clock.now()
    flows.register(db, slug=example.slug, user_id="UA", form=_form("A"), locale="sv", now=now)
    flows.erase(db, slug=example.slug, user_id="UA", now=now)
    assert _files(db, "UA") == []
    with db.transaction() as session:
        assert session.scalars(select(invites.CalendarInvite)).all() == []


def test_a_reloaded_time_sends_an_update_and_a_cancelled_day_a_cancel(
    db, clock, example, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", db.url)
    load(db, example, clock)
    flows.register(db, slug=example.slug, user_id="UA", form=_form("A"), locale="sv",
                   now=clock.now())  # fmt: skip
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["start_time"] = "08:00"
    data["agenda"][0]["start"] = "08:00"
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli(["event", "load", str(edited)]) == 0
    assert "calendar updates to send: 1" in capsys.readouterr().out
    files = _files(db, "UA")
    assert [(m, s, start) for m, s, _, start in files] == [("REQUEST", 0, "08:30"),
                                                           ("REQUEST", 1, "08:00")]  # fmt: skip
    assert cli(["event", "load", str(edited)]) == 0  # unchanged: nothing more
    assert len(_files(db, "UA")) == 2
    data["cancelled"] = True
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli(["event", "load", str(edited)]) == 0
    assert [f[:2] for f in _files(db, "UA")][-1] == ("CANCEL", 2)


def test_an_unrelated_edit_sends_no_update(db, clock, example):
    load(db, example, clock)
    flows.register(db, slug=example.slug, user_id="UA", form=_form("A"), locale="sv",
                   now=clock.now())  # fmt: skip
    with db.transaction() as session:
        result = upsert_event(session, example.model_copy(update={"description": "Ny text"}),
                              now=clock.now())  # fmt: skip
        assert result.changed
        assert invites.refresh(session, result.event, now=clock.now()) == []
