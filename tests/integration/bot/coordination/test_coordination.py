"""Unit tests: /samordna parsing, coordinator check cache, audiences, CSV, the token bucket."""

from __future__ import annotations

import pytest

from bot.coordination.access import CoordinatorCheck, NotCoordinator
from bot.coordination.audience import GroupSource, resolve
from bot.coordination.commands import Verb, parse_samordna
from bot.coordination.export import export_csv
from bot.events.service import get_event
from tests.conftest import load
from tests.support.coordination import SLUG, publish_placements, register_people, user
from workers.broadcast_sender import TokenBucket


@pytest.mark.parametrize(("text", "verb", "slug"), [
    ("", Verb.HELP, None), ("hjälp", Verb.HELP, None), ("utskick", Verb.BROADCAST, None),
    ("lista skelleftea-2021", Verb.LIST, "skelleftea-2021"), ("EXPORT Abc-1", Verb.EXPORT, "abc-1"),
    ("publicera", Verb.PUBLISH, None),
])  # fmt: skip
def test_parse_samordna(text, verb, slug):
    command = parse_samordna(text)
    assert (command.verb, command.slug, command.unknown) == (verb, slug, None)


def test_parse_flytta_and_unknown_text():
    command = parse_samordna("flytta <@U0ABC123|ida> AI skelleftea-2021")
    assert (command.verb, command.user_id, command.group_key, command.slug) == (
        Verb.MOVE, "U0ABC123", "ai", "skelleftea-2021")  # fmt: skip
    assert parse_samordna("flytta ida").unknown == "flytta ida"
    assert parse_samordna("skicka allt").unknown == "skicka allt"
    assert parse_samordna("lista a b").verb == Verb.HELP


def test_usergroup_members_are_cached_briefly(example):
    calls, now = [], [0.0]
    check = CoordinatorCheck(lambda g: calls.append(g) or ["U0MEMBER1"], ttl=60,
                             monotonic=lambda: now[0])  # fmt: skip
    definition = example.model_copy(
        update={"coordinators": example.coordinators.model_copy(update={"usergroup": "S0GROUP"})}
    )
    assert check.is_coordinator(definition, "U0MEMBER1")
    assert check.is_coordinator(definition, "U01JGARDEST")  # named users need no look-up
    assert not check.is_coordinator(definition, "U0OTHER01")
    assert calls == ["S0GROUP"]
    now[0] = 61.0
    assert check.is_coordinator(definition, "U0MEMBER1") and calls == ["S0GROUP", "S0GROUP"]
    with pytest.raises(NotCoordinator):
        check.require(definition, "U0OTHER01", action="lista")


def test_an_unreachable_usergroup_grants_nothing(example):
    def broken(_group):
        raise RuntimeError("slack is down")

    definition = example.model_copy(
        update={"coordinators": example.coordinators.model_copy(update={"usergroup": "S0GROUP"})}
    )
    assert not CoordinatorCheck(broken).is_coordinator(definition, "U0MEMBER1")


def test_audiences_are_a_union_without_duplicates(db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 6)  # first choices cycle larare, ai, energi
    with db.transaction() as session:
        event = get_event(session, SLUG)
        both = resolve(session, event, ["group:ai", "registered", "channel"])
        assert both.recipients[0] == user(1) and len(both.recipients) == 7
        assert (
            both.recipients.count(user(1)) == 1 and "#partnerskapsdag-skelleftea" in both.recipients
        )
        first = resolve(session, event, ["group:ai"])
        assert (first.recipients, first.group_source) == (
            (user(1), user(4)),
            GroupSource.FIRST_CHOICE,
        )
    publish_placements(db, clock.now(), {user(0): "ai", user(1): "energi"})
    with db.transaction() as session:
        placed = resolve(session, get_event(session, SLUG), ["group:ai"])
        assert (placed.recipients, placed.group_source) == ((user(0),), GroupSource.PUBLISHED)


def test_csv_is_excel_friendly_and_safe(db, clock, example):
    load(db, example, clock)
    register_people(db, clock.now(), 1)
    with db.transaction() as session:
        event = get_event(session, SLUG)
        event.registrations[0].organisation = "=1+2"
        data = export_csv(session, event)
    text = data.decode("utf-8-sig")
    assert data[:3] == b"\xef\xbb\xbf" and "\r\n" in text
    assert ";'=1+2;" in text  # a formula is written as text


def test_token_bucket_paces_and_pauses():
    now = [0.0]
    bucket = TokenBucket(rate=10, monotonic=lambda: now[0])
    bucket.acquire()  # the first token is there
    bucket.pause(2.0)
    now[0] = 2.0
    bucket.acquire()  # after the pause, tokens refill at the rate
    assert bucket._paused_until == 2.0
