"""The request's answer is the ack, returned while the listener is still running (Bolt's runner,
without its 10 ms polling); a listener that fails before acking still gets Bolt's 500."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest
from slack_bolt.authorization import AuthorizeResult

from runtime.prompt_ack import PromptListenerRunner, answer_promptly


def _app() -> App:
    app = App(
        signing_secret="secret",
        authorize=lambda **_: AuthorizeResult(
            enterprise_id=None, team_id="T1", bot_token="xoxb-test", bot_user_id="UB", bot_id="B"
        ),  # no auth.test call: nothing here talks to Slack
        request_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(max_workers=2),
    )
    answer_promptly(app)
    return app


def _command(app: App, command: str) -> tuple[int, str]:
    body = urlencode({"command": command, "text": "", "user_id": "U1", "team_id": "T1"})
    response = app.dispatch(BoltRequest(body=body, headers={}))
    return response.status, response.body


def test_the_ack_is_answered_while_the_listener_goes_on():
    app = _app()
    assert isinstance(app._listener_runner, PromptListenerRunner)
    release, finished = threading.Event(), threading.Event()

    @app.command("/slow")
    def slow(ack):
        ack("got it")
        release.wait(30)  # the answer must not wait for this
        finished.set()

    assert _command(app, "/slow") == (200, "got it")
    assert not finished.is_set()
    release.set()
    assert finished.wait(30)


def test_a_listener_that_fails_before_acking_is_a_500():
    app = _app()

    @app.command("/broken")
    def broken(ack):
        raise RuntimeError("boom")

    status, _ = _command(app, "/broken")
    assert status == 500


def test_a_listener_that_returns_without_acking_ends_the_wait():
    app = _app()

    @app.command("/silent")
    def silent(ack):
        return None

    status, _ = _command(app, "/silent")
    assert status == 404  # Bolt's answer when no listener acknowledged
