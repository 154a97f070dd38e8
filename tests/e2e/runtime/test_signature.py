"""Requests that Slack did not sign (or signed long ago) are refused before anything happens."""

from __future__ import annotations

import time

import pytest

from bot.blocks.registration_modal import Prefill, build_registration_modal
from storage.models import OutboxMessage, Registration
from tests.conftest import load
from tests.e2e.handlers.test_registration_flow import ANSWERS, USER, count

FORGED = "v0=" + "0" * 64
SIX_MINUTES = 6 * 60  # Slack's replay window is 5 minutes


@pytest.fixture
def view(example):
    return build_registration_modal(example, prefill=Prefill(), seats_left=120, lang="sv").to_dict()


def assert_nothing_happened(bot, db):
    assert count(db, Registration) == 0
    assert count(db, OutboxMessage) == 0
    assert bot.slack.calls == []


@pytest.mark.parametrize(
    "signing",
    [
        pytest.param(lambda: {"signature": FORGED}, id="forged-signature"),
        pytest.param(lambda: {"timestamp": int(time.time()) - SIX_MINUTES}, id="stale-timestamp"),
    ],
)
def test_unsigned_submission_is_refused(bot, db, clock, example, view, signing):
    load(db, example, clock)

    reply = bot.sender.submit_view(view, ANSWERS, USER, **signing())

    assert reply.status == 401
    assert_nothing_happened(bot, db)
    # the same submission, properly signed, is accepted: the refusal was the signature's doing
    assert bot.sender.submit_view(view, ANSWERS, USER).status == 200
    bot.slack.wait_for("chat.postMessage")  # registered by the inbox worker after the ack
    assert count(db, Registration) == 1


@pytest.mark.parametrize(
    "signing",
    [
        pytest.param(lambda: {"signature": FORGED}, id="forged-signature"),
        pytest.param(lambda: {"timestamp": int(time.time()) - SIX_MINUTES}, id="stale-timestamp"),
    ],
)
def test_unsigned_command_is_refused(bot, db, clock, example, signing):
    load(db, example, clock)

    reply = bot.sender.command("/anmal", "", USER, **signing())

    assert reply.status == 401
    assert_nothing_happened(bot, db)
