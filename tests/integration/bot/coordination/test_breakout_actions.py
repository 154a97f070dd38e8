"""flytta / publicera as one domain call: the result says what happened, one builder words it."""

from __future__ import annotations

import pytest

from bot.blocks.coordinator import build_breakout_text
from bot.breakouts import service
from bot.coordination.breakout_actions import BreakoutOutcome, run_breakout_action
from bot.coordination.commands import Verb
from bot.errors import DomainError
from tests.conftest import load
from tests.integration.bot.breakouts.test_breakout_storage import _register_many


def test_publish_then_move_return_what_they_did(db, clock, example):
    load(db, example, clock)
    _register_many(db, clock, example.slug, 12)
    with db.transaction() as session:
        service.draft(session, slug=example.slug, now=clock.now())
        published = run_breakout_action(session, Verb.PUBLISH, slug=example.slug,
                                        by="U0COORD", now=clock.now())  # fmt: skip
    assert published == BreakoutOutcome(Verb.PUBLISH, example.slug, example.title, 1)
    group = example.groups[-1]
    with db.transaction() as session:
        moved = run_breakout_action(
            session, Verb.MOVE, slug=example.slug, by="U0COORD", now=clock.now(),
            user_id="U0000", group_key=group.key,
        )  # fmt: skip
    assert moved == BreakoutOutcome(Verb.MOVE, example.slug, example.title, 2,
                                    user_id="U0000", group_name=group.name)  # fmt: skip
    assert build_breakout_text(moved, "sv") == (
        f"<@U0000> är flyttad till *{group.name}* (nytt utkast, version 2). "
        f"Publicera med `/samordna publicera {example.slug}`."
    )
    assert build_breakout_text(published, "en") == (
        f"The group assignment of *{example.title}* (version 1) is published."
    )


def test_a_refused_action_raises_the_domain_error(db, clock, example):
    load(db, example, clock)
    with db.transaction() as session, pytest.raises(DomainError) as refused:
        run_breakout_action(session, Verb.PUBLISH, slug=example.slug, by="U0COORD",
                            now=clock.now())  # fmt: skip
    assert refused.value.code == "breakouts.no_draft"


def test_other_verbs_are_not_breakout_actions(db, clock, example):
    load(db, example, clock)
    with db.transaction() as session, pytest.raises(ValueError):
        run_breakout_action(session, Verb.LIST, slug=example.slug, by="U0COORD", now=clock.now())
