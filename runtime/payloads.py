"""The shapes Slack sends, as pydantic models: a request that does not fit is refused before any
listener runs (runtime/guard.py), so listeners may index what the models guarantee.

Only what the listeners rely on is declared; everything else Slack adds is allowed through.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

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


def check_body(body: bytes, content_type: str) -> None:
    """Raise BadPayload unless body has a shape Slack sends: an event, an interaction, a command."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadPayload("body: not UTF-8") from None
    try:
        if content_type.startswith("application/json"):
            EventEnvelope.model_validate(_object(text, "JSON body"))
            return
        form = parse_qs(text, keep_blank_values=True)
        if "payload" in form:
            payload = _object(form["payload"][0], "payload")
            model = INTERACTIONS.get(str(payload.get("type")), OtherInteraction)
            model.model_validate(payload)
        elif "ssl_check" not in form:
            SlashCommand.model_validate({key: values[0] for key, values in form.items()})
    except ValidationError as exc:
        raise BadPayload(_where(exc)) from None
