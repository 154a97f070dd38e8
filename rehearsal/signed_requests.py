"""Requests as Slack sends them to the app: form-encoded, signed with the signing secret.

Used by the tests, the rehearsal and the benchmarks to drive the app over real HTTP.
"""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlparse

from slack_sdk.signature import SignatureVerifier

from runtime.keepalive import KeptConnections


@dataclass
class Response:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def state_values(view: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """A view_submission's state.values for the input blocks of view, filled from answers.

    answers maps block_id -> a string (text input), an option value (select), a list of values
    (checkboxes) or None (left empty).
    """
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        block_id, action_id, kind = block["block_id"], element["action_id"], element["type"]
        answer = answers.get(block_id)
        if kind == "static_select":
            options = element.get("options") or [
                o for g in element.get("option_groups", []) for o in g["options"]
            ]
            chosen = next((o for o in options if o["value"] == answer), None)
            state = {"type": kind, "selected_option": chosen}
        elif kind == "checkboxes":
            chosen = [o for o in element["options"] if o["value"] in (answer or [])]
            state = {"type": kind, "selected_options": chosen}
        elif kind == "datetimepicker":  # answer: a UNIX timestamp (int) or None
            state = {"type": kind, "selected_date_time": answer}
        else:
            state = {"type": kind, "value": answer}
        values[block_id] = {action_id: state}
    return values


class SlackSender:
    """Sends signed slash commands and interactivity payloads to the app's /slack/events.

    With `keep_alive`, each thread keeps its connection open between requests (one TCP
    connection for a run rather than one per request: what the rehearsal uses), through
    runtime.keepalive.KeptConnections: a kept connection the server closed is replaced, and a
    request is sent once more only when it went out on a kept connection closed with no answer
    begun. Without `keep_alive`, every request has a connection of its own."""

    def __init__(
        self, url: str, signing_secret: str, team_id: str = "T00000001", *, keep_alive: bool = False
    ):
        self.url = urlparse(url)
        if not self.url.hostname:
            raise ValueError(f"not an http URL with a host: {url!r}")
        self.host: str = self.url.hostname
        self.verifier = SignatureVerifier(signing_secret)
        self.team_id = team_id
        self.keep_alive = keep_alive
        self._connections = KeptConnections(timeout=30, keep=keep_alive)
        self._trigger = 0

    @property
    def _open(self) -> set[http.client.HTTPConnection]:
        """The connections open now, of every thread (for the tests)."""
        return self._connections.open

    def close(self) -> None:
        """Close the connections kept by every thread."""
        self._connections.close()

    def _send(self, body: bytes, headers: dict[str, str]) -> Response:
        reply, data = self._connections.request(
            self.url.scheme, self.url.netloc, "POST", self.url.path, body, headers
        )
        return Response(reply.status, data.decode())

    def _post(
        self,
        body: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = signature or self.verifier.generate_signature(timestamp=ts, body=body) or ""
        return self._send(
            body.encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig,
                **(headers or {}),
            },
        )

    def trigger_id(self) -> str:
        self._trigger += 1
        return f"{self._trigger}.1.trigger"

    def command(
        self, command: str, text: str, user_id: str, channel_id: str = "C0GENERAL", **post: Any
    ) -> Response:
        body = urlencode(
            {
                "token": "legacy",
                "team_id": self.team_id,
                "team_domain": "standin",
                "channel_id": channel_id,
                "channel_name": "general",
                "user_id": user_id,
                "user_name": user_id.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A00000001",
                "is_enterprise_install": "false",
                "response_url": "http://127.0.0.1:9/response",
                "trigger_id": self.trigger_id(),
            }
        )
        return self._post(body, **post)

    def _interactive(self, payload: dict[str, Any], **post: Any) -> Response:
        return self._post(urlencode({"payload": json.dumps(payload)}), **post)

    def submit_view(
        self,
        view: dict[str, Any],
        answers: dict[str, Any],
        user_id: str,
        *,
        user_team: str | None = None,
        **post: Any,
    ) -> Response:
        """Submit a modal the app opened (as recorded by the stand-in), with these answers;
        user_team: the person's home workspace when it is not ours (Slack Connect)."""
        submitted = {**view, "state": {"values": state_values(view, answers)}}
        submitted.setdefault("id", "V0000000")
        submitted.setdefault("hash", "h1")
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id},
            "user": {"id": user_id, "team_id": user_team or self.team_id},
            "api_app_id": "A00000001",
            "trigger_id": self.trigger_id(),
            "view": submitted,
        }
        return self._interactive(payload, **post)

    def event(self, event: dict[str, Any], **post: Any) -> Response:
        """An Events API callback (e.g. app_home_opened) as Slack posts it: JSON, signed."""
        body = json.dumps({
            "token": "legacy", "team_id": self.team_id, "api_app_id": "A00000001",
            "type": "event_callback", "event_id": f"Ev{self.trigger_id().replace('.', '')}",
            "event_time": int(time.time()), "event": event,
        })  # fmt: skip
        return self._post(body, headers={"Content-Type": "application/json"}, **post)

    def click(
        self,
        action_id: str,
        value: str,
        user_id: str,
        *,
        block_id: str = "b",
        response_url: str = "http://127.0.0.1:9/response",
        user_team: str | None = None,
        view: dict[str, Any] | None = None,
        **post: Any,
    ) -> Response:
        """A button click in a message, or in a modal when `view` (the open modal) is given."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": self.team_id},
            "user": {"id": user_id, "team_id": user_team or self.team_id},
            "api_app_id": "A00000001",
            "trigger_id": self.trigger_id(),
            "response_url": response_url,
            "container": {"type": "message", "message_ts": "1.1", "channel_id": "C0GENERAL"},
            "channel": {"id": "C0GENERAL"},
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "type": "button",
                    "action_ts": "1.1",
                }
            ],
        }
        if view is not None:  # Slack sends the modal, and no message, for a click inside one
            payload["view"] = {"id": "V0000000", "hash": "h1", **view}
            payload["container"] = {"type": "view", "view_id": payload["view"]["id"]}
            del payload["channel"], payload["response_url"]
        return self._interactive(payload, **post)
