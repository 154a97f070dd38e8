"""Listener tests in the style of Slack's bolt-python starter template: the plain handle_*
function is called with a mock ack, a mock WebClient and a payload dict; the context holds the
app's real Services (from runtime.bootstrap) on a throw-away SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import MagicMock, Mock

import pytest
from slack_sdk import WebClient

from bot.settings import Settings
from runtime.bootstrap import build_app
from tests.conftest import load
from workers.services import Services

# Nothing listens here: a WebClient the app builds for itself (the coordinator check's user
# group look-up, the profile client) fails at once instead of reaching Slack.
NOWHERE = "http://127.0.0.1:9/api/"


# ack and respond are plain mocks: a mock spec'd on Bolt's Ack/Respond classes matches calls
# against the classes' __init__, so assert_called_with(text=...) could never match.
@pytest.fixture
def ack() -> Mock:
    return Mock(name="ack")


@pytest.fixture
def respond() -> Mock:
    return Mock(name="respond")


@pytest.fixture
def client() -> MagicMock:
    """A WebClient whose every method is a mock (spec'd: a misspelt method fails the test)."""
    fake = MagicMock(WebClient)
    fake.token, fake.base_url = "xoxb-test", NOWHERE
    fake.chat_postMessage.return_value = {"ok": True, "ts": "1617264000.000100"}
    fake.conversations_open.return_value = {"ok": True, "channel": {"id": "D0COORDIN1"}}
    return fake


@pytest.fixture
def services(db, clock, example, client) -> Iterator[Services]:
    """The app's services with the example event loaded; no background inbox worker."""
    load(db, example, clock)
    settings = Settings(
        _env_file=None,
        database_url=db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="test-signing-secret",
        slack_api_url=NOWHERE,
    )
    _app, built = build_app(settings, db, clock=clock, client=client, workers=1)
    built.inbox.stop()  # the test looks at what the listener recorded, not at the worker
    built.profile_client = MagicMock(WebClient)
    built.profile_client.users_info.return_value = {
        "ok": True,
        "user": {"real_name": "Ida Participant", "profile": {"title": "Lärare"}},
    }
    yield built
    built.close()


@pytest.fixture
def context(services) -> dict:
    return {"services": services}
