"""Slack faults against the stand-in over real HTTP: 429, 5xx, not_in_channel, permanent errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import outbox
from bot.events.service import get_event
from bot.settings import Settings
from runtime.bootstrap import build_app
from storage.models import OutboxMessage
from tests.conftest import load

CHANNEL = "#partnerskapsdag-skelleftea"
COORDINATORS = ["U01JGARDEST", "U01IDALINDH"]


@pytest.fixture
def services(db, clock, slack, example):
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
    )
    load(db, example, clock)
    return build_app(settings, db, clock=clock)[1]


def _record(services, key, channel=CHANNEL):
    with services.db.transaction() as session:
        event = get_event(session, "skelleftea-2021")
        return outbox.enqueue(
            session,
            key=key,
            channel=channel,
            text=f"text of {key}",
            kind="reminder",
            event_id=event.id,
            now=services.clock.now(),
        )


def _row(services, message_id):
    with services.db.transaction() as session:
        return session.get(OutboxMessage, message_id)


def test_rate_limit_is_honoured_with_retry_after_and_sent_once(services, slack):
    slack.fail("chat.postMessage", status=429, retry_after=1)
    message_id = _record(services, "reminder:skelleftea-2021:a:5")
    assert services.deliverer.deliver([message_id]) == 1
    calls = slack.calls_to("chat.postMessage")
    assert [c.ok for c in calls] == [False, True]
    assert calls[1].at - calls[0].at >= 0.9  # the client waited for Retry-After
    assert _row(services, message_id).status == "sent"


def test_server_errors_are_retried_by_the_client(services, slack):
    slack.fail("chat.postMessage", status=503, times=2)
    message_id = _record(services, "reminder:skelleftea-2021:b:5")
    assert services.deliverer.deliver([message_id]) == 1
    assert [c.ok for c in slack.calls_to("chat.postMessage")] == [False, False, True]
    assert len(slack.posts(CHANNEL)) == 1


def test_not_in_channel_joins_the_channel_and_posts(services, slack):
    slack.fail("chat.postMessage", "not_in_channel")
    message_id = _record(services, "reminder:skelleftea-2021:c:5")
    assert services.deliverer.deliver([message_id]) == 1
    assert [c.channel for c in slack.calls_to("conversations.join")] == [CHANNEL]
    assert len(slack.posts(CHANNEL)) == 1
    assert _row(services, message_id).status == "sent"


def test_permanent_error_is_recorded_reported_once_and_the_rest_goes_on(services, slack):
    slack.fail("chat.postMessage", "channel_not_found", times=2, channel="#gone")
    first = _record(services, "reminder:skelleftea-2021:d:5", channel="#gone")
    second = _record(services, "reminder:skelleftea-2021:e:5", channel="#gone")
    third = _record(services, "reminder:skelleftea-2021:f:5")
    assert services.deliverer.deliver([first, second, third]) == 1  # reports go out too
    assert _row(services, first).status == "failed"
    assert _row(services, first).last_error == "channel_not_found"
    assert _row(services, second).status == "failed"
    assert _row(services, third).status == "sent"
    for coordinator in COORDINATORS:  # one report per error and channel, not one per message
        reports = slack.posts(coordinator)
        assert len(reports) == 1
        assert reports[0].params["text"] == (
            ":warning: Ett automatiskt meddelande till #gone kunde inte skickas "
            "(channel_not_found). Resten av schemat fortsätter."
        )
    with services.db.transaction() as session:
        kinds = session.scalars(select(OutboxMessage.kind).where(OutboxMessage.kind == "fault"))
        assert len(list(kinds)) == len(COORDINATORS)


def test_an_answer_cut_off_is_recorded_unknown_and_never_posted_twice(services, slack, clock):
    assert services.deliverer.deliver([_record(services, "reminder:skelleftea-2021:e:5")]) == 1
    slack.fail("chat.postMessage", cut_off=True)  # on the kept connection: posted, then a reset
    message_id = _record(services, "reminder:skelleftea-2021:f:5")
    assert services.deliverer.deliver([message_id]) == 0
    row = _row(services, message_id)
    assert (row.status, row.last_error) == ("unknown", "AnswerCutOff: may have arrived")
    clock.advance(timedelta(minutes=30))
    services.deliverer.deliver_due()  # no retry of its own: a coordinator decides
    assert [c.params["text"] for c in slack.calls_to("chat.postMessage")] == [
        "text of reminder:skelleftea-2021:e:5",
        "text of reminder:skelleftea-2021:f:5",
    ]
    assert len(slack.posts(CHANNEL)) == 2
    assert _row(services, message_id).status == "unknown"
