"""Re-loading an edited event: updates in place, refuses edits that orphan registrations."""

from __future__ import annotations

import pytest

from bot.events.service import EventChangeRefused, upsert_event
from bot.registration.form import RegistrationForm
from bot.registration.service import get_registration, submit_registration
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
