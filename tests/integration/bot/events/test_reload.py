"""Re-loading an edited event: updates in place, refuses edits that orphan registrations."""

from __future__ import annotations

import pytest

from bot.events.service import EventChangeRefused, upsert_event
from bot.registration.form import RegistrationForm
from bot.registration.lookup import get_registration
from bot.registration.service import submit_registration
from tests.conftest import load


def _register(db, clock, slug, user, prefs=("larare",)):
    form = RegistrationForm(user, "Skellefteå kommun", "", prefs, "", True)
    with db.transaction() as session:
        submit_registration(
            session, slug=slug, user_id=user, form=form, locale="sv", now=clock.now()
        )


def _edit(example, **changes):
    return example.model_copy(update=changes)


def test_unchanged_reload_changes_nothing(db, clock, example):
    load(db, example, clock)
    with db.transaction() as session:
        result = upsert_event(session, example, now=clock.now())
    assert (result.created, result.changed, result.event.version) == (False, False, 1)


def test_edit_keeps_registrations(db, clock, example):
    load(db, example, clock)
    _register(db, clock, example.slug, "U1")
    with db.transaction() as session:
        result = upsert_event(session, _edit(example, title="Ny titel"), now=clock.now())
        assert (result.changed, result.event.version, result.event.title) == (True, 2, "Ny titel")
    with db.transaction() as session:
        assert get_registration(session, slug=example.slug, user_id="U1") is not None


def test_removing_a_chosen_group_is_refused_naming_who(db, clock, example):
    load(db, example, clock)
    _register(db, clock, example.slug, "U1", ("socionomer", "ai"))
    areas = list(example.focus_areas)
    kompetens = areas[0].model_copy(update={"groups": [areas[0].groups[0], areas[0].groups[2]]})
    edited = _edit(example, focus_areas=[kompetens, *areas[1:]])
    with pytest.raises(EventChangeRefused) as caught, db.transaction() as session:
        upsert_event(session, edited, now=clock.now())
    assert "socionomer" in caught.value.reasons[0]
    assert "U1 (<@U1>)" in caught.value.reasons[0]
    with db.transaction() as session:  # nothing changed
        assert upsert_event(session, example, now=clock.now()).changed is False


def test_seat_limit_below_registered_is_refused_and_raising_it_promotes(db, clock, example):
    small = _edit(example, registration=example.registration.model_copy(update={"seat_limit": 2}))
    load(db, small, clock)
    for user in ("U1", "U2", "U3", "U4"):
        _register(db, clock, example.slug, user)
    one = _edit(example, registration=example.registration.model_copy(update={"seat_limit": 1}))
    with pytest.raises(EventChangeRefused, match="below the 2 people"), db.transaction() as s:
        upsert_event(s, one, now=clock.now())
    three = _edit(example, registration=example.registration.model_copy(update={"seat_limit": 3}))
    with db.transaction() as session:
        assert upsert_event(session, three, now=clock.now()).promoted_user_ids == ["U3"]


def test_people_promoted_by_a_reload_get_their_dm_recorded(tmp_path, example):
    """`event load` with a higher seat limit: the promoted person's DM waits in the outbox."""
    import subprocess
    import sys

    from sqlalchemy import select

    from storage.db import Database
    from storage.models import OutboxMessage
    from tests.conftest import ROOT

    url = f"sqlite:///{tmp_path / 'reload.sqlite3'}"
    small = tmp_path / "small.yaml"
    text = (ROOT / "examples" / "partnerskapsdag-skelleftea-2021.yaml").read_text(encoding="utf-8")
    text = text.replace("2021-0", "2099-0")  # the CLI runs on the real clock: a future event
    small.write_text(text.replace("seat_limit: 120", "seat_limit: 1"), encoding="utf-8")
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "app.py", "event", "load"]
    subprocess.run([*run, str(small)], cwd=ROOT, env=env, check=True, capture_output=True)
    db = Database(url)
    from bot.clock import SimulatedClock
    from bot.events.loading import parse_event

    clock = SimulatedClock(parse_event(text).opens_at)
    _register(db, clock, example.slug, "U1")
    _register(db, clock, example.slug, "U2")
    small.write_text(text.replace("seat_limit: 120", "seat_limit: 2"), encoding="utf-8")
    done = subprocess.run([*run, str(small)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert "Flyttade från väntelistan: U2" in done.stdout
    with db.transaction() as session:
        promoted = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "promoted")
        ).one()
    assert promoted.channel == "U2" and promoted.status == "pending"
    assert promoted.text.startswith(":tada: En plats har blivit ledig")
    db.dispose()
