"""Malformed or oversized requests get a clear 4xx, one log line without a traceback, nothing kept.

Each request below is signed (except where the signature is the point), so only the shape of the
body decides: the app must not answer 500, must not log a traceback, and must store or send nothing.
"""

from __future__ import annotations

import json
import logging
import socket
from urllib.parse import urlencode

import pytest

from bot.blocks.registration_modal import Prefill, build_registration_modal
from bot.ids.coordinator import Action as CoordAction
from bot.registration.form import FormField
from rehearsal.signed_requests import state_values
from runtime.guard import MAX_BODY_BYTES
from storage.models import OutboxMessage, Registration
from tests.conftest import load
from tests.support.forms import ANSWERS, USER, count


@pytest.fixture
def view(example):
    return build_registration_modal(example, prefill=Prefill(), seats_left=120, lang="sv").to_dict()


def submission(view: dict) -> dict:
    """A well-formed view_submission of the registration modal, to be spoiled by each case."""
    return {
        "type": "view_submission",
        "team": {"id": "T00000001"},
        "user": {"id": USER, "team_id": "T00000001"},
        "api_app_id": "A00000001",
        "trigger_id": "1.1.trigger",
        "view": {**view, "id": "V1", "hash": "h1",
                 "state": {"values": state_values(view, ANSWERS)}},
    }  # fmt: skip


def click(action_id: str, value: str) -> dict:
    return {
        "type": "block_actions",
        "team": {"id": "T00000001"},
        "user": {"id": USER, "team_id": "T00000001"},
        "api_app_id": "A00000001",
        "trigger_id": "1.1.trigger",
        "response_url": "http://127.0.0.1:9/response",
        "actions": [{"action_id": action_id, "block_id": "b", "value": value, "type": "button",
                     "action_ts": "1.1"}],
    }  # fmt: skip


def _spoil(path: list, value):
    def spoil(payload: dict) -> dict:
        target = payload
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return payload

    return spoil


_DELETE = object()
VALUES = ["view", "state", "values"]
SPOILED_SUBMISSIONS = {
    "metadata-not-json": _spoil(["view", "private_metadata"], "{not json"),
    "metadata-json-list": _spoil(["view", "private_metadata"], "[1, 2]"),
    "no-state": _spoil(["view", "state"], _DELETE),
    "state-values-null": _spoil([*VALUES], None),
    "no-user": _spoil(["user"], _DELETE),
    "view-null": _spoil(["view"], None),
    "selected-option-string": _spoil(
        [*VALUES, FormField.CHOICE_1, "choice", "selected_option"], "larare"
    ),
    "selected-options-not-list": _spoil(
        [*VALUES, FormField.CONSENT, "consent", "selected_options"], "consent"
    ),
    "block-is-a-list": _spoil([*VALUES, FormField.NAME], []),
}


def assert_clear_refusal(reply, caplog, db, bot, *, status=400):
    assert 400 <= reply.status < 500 and reply.status == status, (reply.status, reply.body)
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert "Traceback" not in caplog.text
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert count(db, Registration) == 0
    assert count(db, OutboxMessage) == 0
    # Bolt's own identity check (auth.test, once per process) is no message to anyone
    assert [c.method for c in bot.slack.calls if c.method != "auth.test"] == []


@pytest.mark.parametrize("case", list(SPOILED_SUBMISSIONS))
def test_malformed_submission_is_a_clear_400(bot, db, clock, example, view, caplog, case):
    load(db, example, clock)
    payload = submission(view)
    values = payload["view"]["state"]["values"]
    action_ids = {block: next(iter(actions)) for block, actions in values.items()}
    spoil = SPOILED_SUBMISSIONS[case]
    if case.startswith("selected"):  # the element's own action_id, whatever it is
        block = FormField.CHOICE_1 if case == "selected-option-string" else FormField.CONSENT
        key = "selected_option" if case == "selected-option-string" else "selected_options"
        spoil = _spoil([*VALUES, block, action_ids[block], key],
                       "larare" if key == "selected_option" else "consent")  # fmt: skip
    caplog.clear()
    with caplog.at_level(logging.INFO):
        reply = bot.sender._post(urlencode({"payload": json.dumps(spoil(payload))}))
    assert_clear_refusal(reply, caplog, db, bot)


RAW_BODIES = {
    "payload-not-json": (urlencode({"payload": "{nope"}), {}),
    "payload-json-list": (urlencode({"payload": "[1, 2]"}), {}),
    "json-body-not-json": ("{nope", {"Content-Type": "application/json"}),
    "json-body-a-list": ("[1]", {"Content-Type": "application/json"}),
    "empty-actions": (urlencode({"payload": json.dumps({**click("x", "1"), "actions": []})}), {}),
    "retry-failed-not-a-number": (
        urlencode({"payload": json.dumps(click(CoordAction.RETRY_FAILED, "abc"))}),
        {},
    ),
}


@pytest.mark.parametrize("case", list(RAW_BODIES))
def test_malformed_body_is_a_clear_400(bot, db, clock, example, caplog, case):
    load(db, example, clock)
    body, headers = RAW_BODIES[case]
    caplog.clear()
    with caplog.at_level(logging.INFO):
        reply = bot.sender._post(body, headers=headers)
    assert_clear_refusal(reply, caplog, db, bot)


def test_timestamp_that_is_not_a_number_is_401(bot, db, clock, example, caplog):
    load(db, example, clock)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        reply = bot.sender.command("/anmal", "", USER, timestamp="abc")
    assert_clear_refusal(reply, caplog, db, bot, status=401)


def test_unsigned_malformed_payload_is_401_not_parsed(bot, db, clock, example, caplog):
    """The signature is checked on the raw body before anything parses it."""
    load(db, example, clock)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        reply = bot.sender._post(urlencode({"payload": "{nope"}), signature="v0=" + "0" * 64)
    assert_clear_refusal(reply, caplog, db, bot, status=401)


def _announce_body(sender, length: int) -> int:
    """Send only the headers of a request announcing `length` bytes; the status answered.

    The server must answer from the headers alone: it never waits for (or reads) the body. (A
    client that sends the whole body may see the connection reset under it instead.)"""
    with socket.create_connection((sender.host, sender.url.port), timeout=30) as conn:
        conn.sendall(
            f"POST {sender.url.path} HTTP/1.1\r\nHost: {sender.host}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {length}\r\n\r\npayload=".encode()
        )
        status_line = conn.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def test_body_over_the_limit_is_413_unread(bot, db, clock, example, caplog):
    load(db, example, clock)
    caplog.clear()
    assert _announce_body(bot.sender, MAX_BODY_BYTES + 1) == 413
    assert count(db, Registration) == 0
    assert bot.slack.calls == []
    assert not [r for r in caplog.records if r.exc_info]


def test_the_largest_registration_slack_can_send_fits_the_limit(bot, db, clock, example, view):
    """Every text field at its max_length in characters that URL-encode to the most bytes."""
    load(db, example, clock)
    answers = dict(ANSWERS)
    for block in view["blocks"]:
        element = block.get("element", {})
        if element.get("type") == "plain_text_input":
            answers[block["block_id"]] = "å" * element.get("max_length", 3000)
    payload = submission(view)
    payload["view"]["state"]["values"] = state_values(view, answers)
    body = urlencode({"payload": json.dumps(payload)})
    assert len(body) < MAX_BODY_BYTES / 4, len(body)
    assert bot.sender._post(body).status == 200
