"""Registration rules that are easiest to see without Slack in the way."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.breakouts import service as breakouts
from bot.events.loading import EventFileError, parse_event
from bot.events.texts import contact
from bot.registration.form import RegistrationForm
from bot.registration.lookup import get_registration
from bot.registration.service import (
    cancel_registration,
    erase_registration,
    submit_registration,
)
from storage.models import Pin, Placement
from tests.conftest import EXAMPLE, load


def _register(db, clock, slug, user):
    form = RegistrationForm(user, "Umeå universitet", "", ("ai",), "", True)
    with db.transaction() as session:
        submit_registration(
            session, slug=slug, user_id=user, form=form, locale="sv", now=clock.now()
        )


def _one_seat(example):
    return example.model_copy(
        update={"registration": example.registration.model_copy(update={"seat_limit": 1})}
    )


def test_nobody_is_promoted_once_the_event_has_started(db, clock, example):
    load(db, _one_seat(example), clock)
    _register(db, clock, example.slug, "U1")
    _register(db, clock, example.slug, "U2")
    with db.transaction() as session:
        outcome = cancel_registration(
            session, slug=example.slug, user_id="U1", now=example.starts_at + timedelta(minutes=1)
        )
        assert outcome.promoted_user_ids == []
        assert get_registration(session, slug=example.slug, user_id="U2").status == "waitlisted"


def test_erasing_removes_breakout_placements_and_pins(db, clock, example):
    load(db, example, clock)
    for user in ("U1", "U2", "U3"):
        _register(db, clock, example.slug, user)
    with db.transaction() as session:
        breakouts.move(
            session, slug=example.slug, user_id="U1", group_key="ai", by="UC", now=clock.now()
        )
        erase_registration(session, slug=example.slug, user_id="U1", now=clock.now())
    with db.transaction() as session:
        assert session.query(Placement).filter_by(user_id="U1").count() == 0
        assert session.query(Pin).filter_by(user_id="U1").count() == 0
        assert session.query(Placement).filter_by(user_id="U2").count() == 1


@pytest.mark.parametrize("slug", ["status", "en", "hjalp", "radera"])
def test_a_slug_may_not_be_a_command_word(slug):
    text = EXAMPLE.read_text(encoding="utf-8").replace("slug: skelleftea-2021", f"slug: {slug}")
    with pytest.raises(EventFileError) as caught:
        parse_event(text)
    assert caught.value.problems[0].field == "slug"
    assert "/anmal understands" in caught.value.problems[0].message


def test_contact_names_a_coordinator_user_group(example):
    coordinators = example.coordinators.model_copy(update={"users": [], "usergroup": "S0COORD"})
    definition = example.model_copy(update={"contact": None, "coordinators": coordinators})
    assert contact(definition, "sv") == "<!subteam^S0COORD>"
