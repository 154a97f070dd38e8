"""Drafting, pinning and publishing breakout groups on a real database with the real engine."""

from __future__ import annotations

import pytest

from bot.breakouts import service
from bot.errors import DomainError
from bot.registration.form import RegistrationForm
from bot.registration.service import cancel_registration, submit_registration
from storage.models import Assignment
from tests.conftest import load
from workers.coordinators import refusal_text

ORGS = ("Skellefteå kommun", "Umeå universitet")
PREFS = [("larare", "ai"), ("ai", "energi"), ("sjukskoterskor",), ("energi", "larare", "ai")]


def _register_many(db, clock, slug, n):
    for i in range(n):
        form = RegistrationForm(f"P{i}", ORGS[i % 2], "", PREFS[i % len(PREFS)], "", True)
        with db.transaction() as session:
            submit_registration(
                session, slug=slug, user_id=f"U{i:04d}", form=form, locale="sv", now=clock.now()
            )


def test_draft_places_everyone_registered_and_respects_capacity(db, clock, example):
    load(db, example, clock)
    _register_many(db, clock, example.slug, 40)
    with db.transaction() as session:
        drafted = service.draft(session, slug=example.slug, now=clock.now())
        placed = service.placements(session, slug=example.slug, published=False)
    assert drafted.version == 1 and len(placed) == 40
    for group in example.groups:
        assert sum(p.group_key == group.key for p in placed.values()) <= group.max_size
    with db.transaction() as session:  # nothing is published yet
        assert service.placements(session, slug=example.slug) == {}


def test_publish_then_move_pins_and_redrafts_with_few_moves(db, clock, example):
    load(db, example, clock)
    _register_many(db, clock, example.slug, 40)
    with db.transaction() as session:
        service.draft(session, slug=example.slug, now=clock.now())
        service.publish(session, slug=example.slug, by="U0COORD", now=clock.now())
        before = {u: p.group_key for u, p in service.placements(session, slug=example.slug).items()}
    target = next(g.key for g in example.groups if g.key != before["U0000"])
    with db.transaction() as session:
        drafted = service.move(
            session,
            slug=example.slug,
            user_id="U0000",
            group_key=target,
            by="U0COORD",
            now=clock.now(),
        )
        after = {
            u: p.group_key
            for u, p in service.placements(session, slug=example.slug, published=False).items()
        }
    assert drafted.version == 2
    assert after["U0000"] == target
    moved = sum(before[u] != after[u] for u in before)
    assert moved <= 3  # the pinned person and at most a couple of swaps


def test_cancelled_people_drop_out_of_the_next_draft(db, clock, example):
    load(db, example, clock)
    _register_many(db, clock, example.slug, 10)
    with db.transaction() as session:
        service.draft(session, slug=example.slug, now=clock.now())
        cancel_registration(session, slug=example.slug, user_id="U0003", now=clock.now())
    with db.transaction() as session:
        service.draft(session, slug=example.slug, now=clock.now())
        placed = service.placements(session, slug=example.slug, published=False)
    assert "U0003" not in placed and len(placed) == 9


def test_refusals(db, clock, example):
    load(db, example, clock)
    _register_many(db, clock, example.slug, 2)
    with pytest.raises(DomainError) as caught, db.transaction() as session:
        service.publish(session, slug=example.slug, by="U0COORD", now=clock.now())
    assert caught.value.code == "breakouts.no_draft"
    with pytest.raises(DomainError) as caught, db.transaction() as session:
        service.move(
            session,
            slug=example.slug,
            user_id="U0000",
            group_key="nope",
            by="U0COORD",
            now=clock.now(),
        )
    assert caught.value.code == "breakouts.unknown_group"
    with pytest.raises(DomainError) as caught, db.transaction() as session:
        service.move(
            session,
            slug=example.slug,
            user_id="U9999",
            group_key="ai",
            by="U0COORD",
            now=clock.now(),
        )
    assert caught.value.code == "breakouts.not_registered"
    with db.transaction() as session:
        assert session.query(Assignment).count() == 0


def test_an_unknown_event_is_refused_in_words_a_coordinator_reads(db, clock):
    with pytest.raises(DomainError) as caught, db.transaction() as session:
        service.draft(session, slug="finns-inte", now=clock.now())
    assert refusal_text(caught.value, "sv").strip() == (
        "Jag hittar inget evenemang som heter `finns-inte`."
    )  # not the generic "something went wrong"
