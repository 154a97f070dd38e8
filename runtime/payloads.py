"""The shapes Slack sends, as pydantic models: a request that does not fit is refused before any
listener runs (runtime/guard.py), so listeners may index what the models guarantee.

Only what the listeners rely on is declared; everything else Slack adds is allowed through.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import BadPayload


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class User(_Loose):
    id: str


class Option(_Loose):
    value: str


class StateElement(_Loose):
    value: str | None = None
    selected_option: Option | None = None
    selected_options: list[Option] | None = None
    selected_date_time: int | None = None


class State(_Loose):
    values: dict[str, dict[str, StateElement]]


class View(_Loose):
    id: str | None = None
    type: str | None = None
    private_metadata: str = ""
    state: State | None = None


class SubmittedView(View):
    state: State


class Action(_Loose):
    action_id: str
    value: str | None = None


class BlockActions(_Loose):
    type: str
    user: User
    actions: list[Action] = Field(min_length=1)
    view: View | None = None


class ViewSubmission(_Loose):
    type: str
    user: User
    view: SubmittedView


class ViewClosed(_Loose):
    type: str
    user: User
    view: View


class OtherInteraction(_Loose):
    type: str


class SlashCommand(_Loose):
    command: str
    user_id: str
    text: str = ""


class EventEnvelope(_Loose):
    type: str


INTERACTIONS: dict[str, type[_Loose]] = {
    "block_actions": BlockActions,
    "view_submission": ViewSubmission,
    "view_closed": ViewClosed,
}


def _where(error: ValidationError) -> str:
    """Where the shape is wrong and how, without the values (they may be personal data)."""
    first = error.errors()[0]
    place = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{place}: {first['type']} ({error.error_count()} problem(s))"


def _object(text: str, what: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        raise BadPayload(f"{what}: not JSON") from None
    if not isinstance(data, dict):
        raise BadPayload(f"{what}: not a JSON object")
    return data


def _unquote(value: str) -> str:
    """urllib.parse.unquote(value), the percent-escapes decoded by C code.

    A view_submission's body is the whole modal as URL-encoded JSON (12 KB, ~2,000 escapes for
    the registration form): urllib's unquote takes 0.6 ms of CPU on it, this 0.06 ms. Each
    `%XX` becomes a `\\xXX` escape for the unicode_escape codec (backslashes doubled first, so
    nothing else is an escape); anything that is not a valid escape falls back to urllib."""
    if "%" not in value:
        return value
    escaped = value.encode("utf-8").replace(b"\\", b"\\\\").replace(b"%", b"\\x")
    try:
        raw = escaped.decode("unicode_escape").encode("latin-1")
    except UnicodeDecodeError:  # "%zz", a "%" at the end: urllib keeps those as they are
        return unquote(value)
    return raw.decode("utf-8", "replace")


def parse_form(text: str) -> list[tuple[str, str]]:
    """urllib.parse.parse_qsl(text, keep_blank_values=True), only faster (see _unquote)."""
    pairs = []
    for field in text.split("&"):
        if field:
            name, _, value = field.partition("=")
            pairs.append((_unquote(name.replace("+", " ")), _unquote(value.replace("+", " "))))
    return pairs


def _as_bolt_parses(
    text: str, content_type: str, pairs: list[tuple[str, str]] | None, loaded: dict[str, Any]
) -> dict[str, Any]:
    """The body as slack_bolt.request.internals.parse_body makes it, from what is parsed already
    (so Bolt does not parse it a second time: runtime/guard.py hands this to Bolt).
    `loaded`: JSON texts already loaded, by the text."""
    if not text:
        return {}
    if content_type.split(";")[0] == "application/json" or text.startswith("{"):
        return loaded.get(text) or json.loads(text)
    params = dict(pairs if pairs is not None else parse_form(text))
    if "payload" in text:
        payload = params.get("payload")
        return {} if payload is None else (loaded.get(payload) or json.loads(payload))
    return params


def check_body(body: bytes, content_type: str) -> tuple[str, dict[str, Any]]:
    """Raise BadPayload unless body has a shape Slack sends: an event, an interaction, a command.

    Returns the body as text and as Bolt would parse it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadPayload("body: not UTF-8") from None
    pairs = None
    loaded: dict[str, Any] = {}
    try:
        if content_type.startswith("application/json"):
            loaded[text] = _object(text, "JSON body")
            EventEnvelope.model_validate(loaded[text])
        else:
            pairs = parse_form(text)
            form: dict[str, str] = {}
            for key, value in pairs:
                form.setdefault(key, value)  # the first of a repeated field, as parse_qs
            if "payload" in form:
                payload = loaded[form["payload"]] = _object(form["payload"], "payload")
                model = INTERACTIONS.get(str(payload.get("type")), OtherInteraction)
                model.model_validate(payload)
            elif "ssl_check" not in form:
                SlashCommand.model_validate(form)
    except ValidationError as exc:
        raise BadPayload(_where(exc)) from None
    try:
        return text, _as_bolt_parses(text, content_type, pairs, loaded)
    except ValueError:  # e.g. a form body that starts with "{": Bolt reads it as JSON
        raise BadPayload("body: not what its content type says") from None
