"""The participant CSV carries each person's e-mail (taken from their Slack profile when they
register) and its headers and status words follow the event's language."""

from __future__ import annotations

from sqlalchemy import select

from bot.coordination.export import export_csv
from bot.events.service import get_event
from storage.models import Registration
from tests.conftest import load
from tests.support.forms import USER, register


def _csv(db, slug):
    with db.transaction() as session:
        return export_csv(session, get_event(session, slug)).decode("utf-8-sig").splitlines()


def test_the_email_from_the_profile_is_stored_and_exported(bot, db, clock, example):
    bot.slack.add_user(USER, real_name="Ida Participant", email="ida@example.se")
    load(db, example, clock)
    register(bot, USER)
    with db.transaction() as session:
        assert session.scalars(select(Registration.email)).one() == "ida@example.se"
    header, row = _csv(db, example.slug)
    assert "E-post" in header.split(";")
    assert row.split(";")[header.split(";").index("E-post")] == "ida@example.se"


def test_the_headers_follow_the_events_language(bot, db, clock, example):
    load(db, example.model_copy(update={"language": "en"}), clock)
    register(bot, USER)
    header, row = _csv(db, example.slug)
    assert header.startswith("Registration no.;Status;Name;Organisation;Role;Choice 1")
    assert "E-mail" in header
    assert row.split(";")[1] == "registered"
