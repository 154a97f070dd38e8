"""`python app.py serve` as a real process: HTTP mode behind waitress, and clear start-up errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from rehearsal.signed_requests import SlackSender
from tests.conftest import EXAMPLE, ROOT, SIGNING_SECRET


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}", **extra)
    return env


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):  # a start-up wait, not a timing assertion
        if process.poll() is not None:
            raise AssertionError(f"serve exited early: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("serve never became healthy")


def test_serve_answers_signed_slash_commands(tmp_path, slack):
    port = _free_port()
    env = _env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        PORT=str(port),
        HOST="127.0.0.1",
        SCHEDULER_ENABLED="false",
    )
    subprocess.run(
        [sys.executable, "app.py", "event", "load", str(EXAMPLE)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    process = subprocess.Popen(
        [sys.executable, "app.py", "serve"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
        reply = sender.command("/anmal", "hjalp", "U0PARTIC1")
        assert reply.status == 200
        assert reply.body.startswith("*Anmälan till partnerskapsdagar*")
        assert sender.command("/anmal", "", "U0PARTIC1", signature="v0=forged").status == 401
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_refuses_to_start_without_tokens(tmp_path):
    done = subprocess.run(
        [sys.executable, "app.py", "serve"],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in done.stderr
    assert "SLACK_SIGNING_SECRET is not set" in done.stderr


def test_serve_names_a_malformed_variable(tmp_path):
    env = _env(tmp_path, SLACK_BOT_TOKEN="xoxp-user-token", PORT="eighty")
    done = subprocess.run(
        [sys.executable, "app.py", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN: Value error, must start with xoxb-" in done.stderr
    assert "PORT: Input should be a valid integer" in done.stderr


def test_serve_in_socket_mode_when_an_app_token_is_set(tmp_path, slack):
    env = _env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_APP_TOKEN="xapp-1-test",
        SLACK_API_URL=slack.api_url,
        SCHEDULER_ENABLED="false",
    )
    process = subprocess.Popen(
        [sys.executable, "app.py", "serve"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        slack.sockets.wait_connected()
        assert slack.calls_to("apps.connections.open")
        command = {
            "command": "/anmal",
            "text": "hjalp",
            "user_id": "U0PARTIC1",
            "channel_id": "C0GENERAL",
            "team_id": "T00000001",
            "trigger_id": "1.1.t",
            "response_url": slack.response_url,
            "api_app_id": "A00000001",
        }
        ack = slack.sockets.send("slash_commands", command)
        assert ack["text"].startswith("*Anmälan till partnerskapsdagar*")
    finally:
        process.terminate()
        process.wait(timeout=20)
