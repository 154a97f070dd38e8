"""The guard parses a body once, exactly as urllib and Bolt would, and hands it to Bolt."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_bolt.request.internals import parse_body

from bot.errors import BadPayload
from runtime.payloads import check_body, parse_form

FORM = "application/x-www-form-urlencoded"
# the characters that matter to URL decoding, and some that do not
TRICKY = st.text(alphabet="ab%+=&;\\éx0123456789ABCDEFGZ \u20ac\U0001f600\x00", max_size=40)


@given(TRICKY)
def test_parse_form_is_parse_qsl(text: str) -> None:
    assert parse_form(text) == parse_qsl(text, keep_blank_values=True)


@given(st.dictionaries(st.text(max_size=10), st.text(max_size=30), max_size=5))
def test_parse_form_reads_what_urlencode_wrote(fields: dict[str, str]) -> None:
    text = urlencode(fields)
    assert parse_form(text) == parse_qsl(text, keep_blank_values=True)


def _submission() -> str:
    payload = {
        "type": "view_submission",
        "user": {"id": "U1"},
        "view": {"id": "V1", "private_metadata": "a|b", "state": {"values": {"b": {"a": {
            "type": "plain_text_input", "value": "Åsa \"Ö\" 100% & co\\n + €"}}}}},
    }  # fmt: skip
    return urlencode({"payload": json.dumps(payload)})


@pytest.mark.parametrize(
    ("text", "content_type"),
    [
        (_submission(), FORM),
        (urlencode({"command": "/anmal", "user_id": "U1", "text": "status en"}), FORM),
        (urlencode({"command": "/anmal", "user_id": "U1", "text": "payload"}), FORM),
        (urlencode({"ssl_check": "1", "token": "x"}), FORM),
        (json.dumps({"type": "url_verification", "challenge": "c"}), "application/json"),
    ],
)
def test_the_body_handed_to_bolt_is_what_bolt_would_parse(text: str, content_type: str) -> None:
    checked_text, body = check_body(text.encode(), content_type)
    assert checked_text == text
    assert body == parse_body(text, content_type)


def test_a_form_body_that_bolt_would_read_as_json_is_refused() -> None:
    with pytest.raises(BadPayload):
        check_body(b"{&command=/anmal&user_id=U1", FORM)
