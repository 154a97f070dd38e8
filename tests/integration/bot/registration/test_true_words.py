"""The words a person reads follow their status and what the event file really says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.blocks.registration_messages import build_answer
from bot.intake import flows
from bot.registration import lookup, messages
from bot.registration.anmal import plan_anmal
from bot.registration.commands import parse_anmal
from bot.registration.form import RegistrationForm
from bot.registration.plans import Reply
from bot.schedule import texts
from tests.conftest import load

PEOPLE = ("U0SEATED1", "U0WAITING")  # one seat: the second person waits


def _one_seat(example, **changes):
    registration = example.registration.model_copy(update={"seat_limit": 1})
    return example.model_copy(update={"registration": registration, **changes})


def _register(db, clock, slug, user):
    form = RegistrationForm(f"Name {user}", "Umeå universitet", "", ("ai",), "", True)
    return flows.register(db, slug=slug, user_id=user, form=form, locale="sv", now=clock.now())


@pytest.fixture
def full(db, clock, example):
    definition = _one_seat(example)
    load(db, definition, clock)
    for user in PEOPLE:
        _register(db, clock, definition.slug, user)
    return definition


def _snapshot(db, slug, user):
    with db.transaction() as session:
        return lookup.get_registration(session, slug=slug, user_id=user)


def _plan(db, clock, text, user, now=None):
    with db.transaction() as session:
        return plan_anmal(
            session, parse_anmal(text), user_id=user, default_lang="sv", now=now or clock.now()
        )


def _said(db, clock, text, user, now=None) -> str:
    """What the person reads in answer to `/anmal text`."""
    return build_answer(_plan(db, clock, text, user, now))[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_waitlisted_person_is_not_promised_the_link(db, full, lang):
    seated = messages.confirmation(
        full, _snapshot(db, full.slug, PEOPLE[0]), created=True, lang=lang
    )
    waiting = messages.confirmation(
        full, _snapshot(db, full.slug, PEOPLE[1]), created=True, lang=lang
    )
    promise = {"sv": "Länken till Zoom skickas till dig innan dagen", "en": "The link to Zoom"}
    assert promise[lang] in seated
    assert (
        "Zoom" not in waiting and "innan dagen" not in waiting and "before the day" not in waiting
    )
    assert ("lämna väntelistan" if lang == "sv" else "leave the waitlist") in waiting


def test_a_waitlisted_person_who_cancels_is_not_told_their_seat_goes_on(db, clock, full):
    seated = _said(db, clock, "avanmal", PEOPLE[0])
    waiting = _said(db, clock, "avanmal", PEOPLE[1])
    assert "Din plats går då till nästa person" in seated
    assert "Din plats går då" not in waiting
    assert "lämna väntelistan" in waiting and "nummer *1*" in waiting
    english = _said(db, clock, "avanmal en", PEOPLE[1])
    assert "Your seat goes" not in english and "waitlist" in english


def test_after_the_deadline_a_waitlisted_person_keeps_their_place(db, clock, full):
    late = full.closes_at + timedelta(hours=1)
    answer = _plan(db, clock, full.slug, PEOPLE[1], now=late)
    assert isinstance(answer, Reply)
    assert "stängde" in answer.text
    assert "står kvar på väntelistan som nummer *1*" in answer.text
    english = _plan(db, clock, f"{full.slug} en", PEOPLE[1], now=late)
    assert "still on the waitlist at place *1*" in english.text
    seated = _plan(db, clock, full.slug, PEOPLE[0], now=late)
    assert "har kvar din plats" in seated.text


@pytest.mark.parametrize(
    ("url", "service_name"),
    [
        ("https://umu.zoom.us/j/1", "Zoom"),
        ("https://teams.microsoft.com/l/meetup-join/x", "Teams"),
        ("https://meet.google.com/abc-defg-hij", "Google Meet"),
        ("https://video.example.org/room", "mötet"),
    ],
)
def test_the_meeting_service_is_named_from_the_link(example, url, service_name):
    definition = example.model_copy(update={"join_url": url, "meeting_service": None})
    text = texts.join_link(definition, "sv", [])
    assert f"Anslut till {service_name} här: {url}" in text
    assert messages.promoted(definition, "sv").endswith(
        f"Länken till {service_name} skickas till dig innan dagen."
    )
    if service_name != "Zoom":
        assert "Zoom" not in text


def test_the_event_file_may_name_the_meeting_service(example):
    definition = example.model_copy(
        update={"join_url": "https://video.example.org/r", "meeting_service": "Jitsi"}
    )
    assert "Anslut till Jitsi här" in texts.join_link(definition, "sv", [])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_without_a_link_nothing_unknown_is_claimed(example, lang):
    definition = example.model_copy(
        update={"join_url": None, "location": "", "meeting_service": None}
    )
    text = texts.join_link(definition, lang, [])
    assert "Anslut här" not in text and "Join here" not in text
    assert "Zoom" not in text
    assert definition.channel in text
    assert "Zoom" not in messages.promoted(definition, lang)


def test_an_unknown_word_gets_the_near_command_and_the_help_line(db, clock, full):
    answer = _said(db, clock, "nonsens", PEOPLE[0])
    assert "nonsens" in answer
    assert "Skriv `/anmal hjalp`" in answer
    near = _said(db, clock, "statsu", PEOPLE[0])
    assert "Menade du `/anmal status`?" in near
    slug_typo = _said(db, clock, "skelleftea-2012", PEOPLE[0])
    assert f"Menade du `/anmal {full.slug}`?" in slug_typo
    english = _said(db, clock, "radra en", PEOPLE[0])
    assert "Did you mean `/anmal radera`?" in english
    two_words = _said(db, clock, "avanmla mig", PEOPLE[0])
    assert "Menade du `/anmal avanmal`?" in two_words


def test_missed_posts_are_listed_in_words_not_job_keys(db, clock, example):
    from sqlalchemy import select

    from bot.events.service import get_event
    from bot.schedule.faults import report_missed
    from bot.schedule.plan import PostKind, plan_posts
    from storage.models import OutboxMessage

    load(db, example, clock)
    reminder = next(p for p in plan_posts(example) if p.kind == PostKind.ITEM_REMINDER)
    with db.transaction() as session:
        report_missed(session, get_event(session, example.slug), [reminder.key], now=clock.now())
        [text] = set(session.scalars(select(OutboxMessage.text)))
    assert reminder.key not in text
    assert "Påminnelse inför *Incheckning*" in text
    assert "torsdag 22 april 2021 kl. 08:10" in text
