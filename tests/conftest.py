"""Shared fixtures: a migrated SQLite database, the Slack stand-in, the app served over HTTP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import SimulatedClock
from bot.events.loading import load_event_file
from bot.events.schema import EventDefinition
from bot.events.service import upsert_event
from bot.settings import Settings
from rehearsal.signed_requests import SlackSender
from rehearsal.standin.server import SlackStandIn
from runtime.bootstrap import build_app
from runtime.server import HttpServer
from storage.db import Database
from storage.migrate import upgrade
from workers.services import Services

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "partnerskapsdag-skelleftea-2021.yaml"
SECOND_EXAMPLE = ROOT / "examples" / "partnerskapsdag-region-vasterbotten-2020.yaml"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
SIGNING_SECRET = "test-signing-secret"


def stockholm(*args: int) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    upgrade(database)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> SimulatedClock:
    """Registration is open: 1 April 2021, 10:00 in Skellefteå."""
    return SimulatedClock(stockholm(2021, 4, 1, 10, 0))


@pytest.fixture
def example() -> EventDefinition:
    return load_event_file(EXAMPLE)


def load(db: Database, definition: EventDefinition, clock: SimulatedClock) -> None:
    with db.transaction() as session:
        upsert_event(session, definition, now=clock.now())


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        standin.add_user("U0PARTIC1", real_name="Ida Participant", title="Lärare")
        yield standin


@dataclass
class RunningBot:
    services: Services
    sender: SlackSender
    slack: SlackStandIn
    server: HttpServer


@pytest.fixture
def bot(db: Database, clock: SimulatedClock, slack: SlackStandIn) -> Iterator[RunningBot]:
    """The real app, served over HTTP, talking to the stand-in."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.api_url,
    )
    app, services = build_app(settings, db, clock=clock)
    server = HttpServer(app).start()
    try:
        yield RunningBot(services, SlackSender(server.url, SIGNING_SECRET), slack, server)
    finally:
        services.close()
        server.stop()


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL")
