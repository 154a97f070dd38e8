"""The simulated day: the real job functions fire in order on a simulated clock, posting to the
stand-in at the seed program's minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import SimulatedClock
from bot.intake import flows
from bot.registration.form import RegistrationForm
from bot.schedule.timeline import format_timeline, timeline
from rehearsal.day import ScheduleDriver
from tests.conftest import load, stockholm
from tests.support.jobs import app_services

CHANNEL = "#partnerskapsdag-skelleftea"


@pytest.fixture
def services(db, slack, example):
    clock = SimulatedClock(example.opens_at)
    load(db, example, clock)
    return app_services(db, slack, clock)


def test_the_day_posts_the_seed_program_minute_by_minute(services, slack, example):
    clock = services.clock
    for n in range(4):
        form = RegistrationForm(
            name=f"Person {n}",
            organisation="Org",
            role="",
            comment="",
            preferences=("larare",),
            consent=True,
        )
        flows.register(
            services.db,
            slug=example.slug,
            user_id=f"U000000{n}A",
            form=form,
            locale="sv",
            now=clock.now(),
        )
    with ScheduleDriver(services, clock) as day:
        day.sync()
        fired = day.run_until(example.ends_at + timedelta(hours=1))
    assert fired == 22  # everything but the retention purge, a month later (2 regroups)
    with services.db.transaction() as session:
        entries = timeline(session, slug=example.slug)
    channel = [line for line in format_timeline(entries, example.timezone) if CHANNEL in line]
    times = [line[:16] for line in channel]
    assert times == [
        "2021-04-13 16:30",
        "2021-04-15 16:30",  # deadline reminders
        "2021-04-22 07:45",  # morning post
        "2021-04-22 08:10",
        "2021-04-22 08:25",
        "2021-04-22 08:35",
        "2021-04-22 08:50",
        "2021-04-22 09:05",
        "2021-04-22 09:25",
        "2021-04-22 09:30",
        "2021-04-22 10:05",
        "2021-04-22 10:20",
        "2021-04-22 10:40",
        "2021-04-22 11:00",
        "2021-04-22 11:20",
    ]
    assert "Om 5 min, kl. 08:15: *Incheckning*" in channel[3]
    joinlinks = [e for e in entries if e.kind == "joinlink"]
    assert len(joinlinks) == 4 and {e.at for e in joinlinks} == {stockholm(2021, 4, 21, 15, 0)}
    assert len([e for e in entries if e.kind == "feedback"]) == 4
    assert all(e.status == "sent" for e in entries)
    assert len(slack.posts(CHANNEL)) == len(channel)
