"""runtime/keepalive.py: one connection per thread is reused; a connection the server closed is
replaced unseen (before use when it closed meanwhile); a call whose answer was cut off is not sent
again, not even by slack_sdk's retry handler; those of ended threads, and one in use as close() is
called, are not kept; error statuses reach slack_sdk's retry handlers as with urllib."""

from __future__ import annotations

import http.client
import json
import socket
import struct
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from runtime.keepalive import AnswerCutOff, KeepAliveWebClient, KeptConnections


class _Slack(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0
        self.calls: list[str] = []
        self.drop_after_answer = False  # close each connection without saying so
        self.rate_limited = 0  # answer this many calls with 429 first
        self.cut_off = b""  # send this much of an answer, then reset the connection
        self.hold: threading.Event | None = None  # answer only once this is set
        self.holding = threading.Event()  # set while a call waits for hold
        self.closed = threading.Event()  # set when the server has closed a connection

    def shutdown_request(self, request: object) -> None:
        super().shutdown_request(request)  # type: ignore[arg-type]
        self.closed.set()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Slack

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.calls.append(json.loads(body)["channel"])
        if self.server.hold is not None:
            self.server.holding.set()
            self.server.hold.wait(5)
        if self.server.cut_off:
            self.wfile.write(self.server.cut_off)
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()  # a reset (RST), not an orderly close
            self.close_connection = True
            return
        if self.server.rate_limited:
            self.server.rate_limited -= 1
            self._answer(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"})
            return
        self._answer(200, {"ok": True, "ts": "1.2"})
        if self.server.drop_after_answer:
            self.close_connection = True

    def _answer(self, status: int, payload: dict, headers: dict | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def slack() -> Iterator[_Slack]:
    server = _Slack()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _client(server: _Slack, **kwargs: object) -> KeepAliveWebClient:
    host, port = server.server_address[:2]
    return KeepAliveWebClient(token="xoxb-t", base_url=f"http://{host}:{port}/api/", **kwargs)  # type: ignore[arg-type]


def test_calls_of_one_thread_share_one_connection(slack: _Slack) -> None:
    client = _client(slack)
    for n in range(5):
        assert client.chat_postMessage(channel=f"U{n}", text="hej")["ok"]
    assert slack.calls == [f"U{n}" for n in range(5)]
    assert slack.connections == 1


def test_a_connection_the_server_closed_is_replaced_and_nothing_is_sent_twice(
    slack: _Slack,
) -> None:
    slack.drop_after_answer = True
    client = _client(slack)
    for n in range(3):
        assert client.chat_postMessage(channel=f"U{n}", text="hej")["ok"]
    assert slack.calls == ["U0", "U1", "U2"]


@pytest.mark.parametrize(
    "begun",
    [
        b"HTTP/1.1 200 OK\r\n",
        b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n{"ok":',
    ],
    ids=["status line", "part of the body"],
)
def test_a_reset_once_the_answer_began_is_not_sent_again_even_by_the_retry_handler(
    slack: _Slack, begun: bytes
) -> None:
    client = _client(slack, retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2)])
    assert client.chat_postMessage(channel="U0", text="hej")["ok"]  # a kept connection now
    slack.cut_off = begun
    with pytest.raises(AnswerCutOff):
        client.chat_postMessage(channel="U1", text="hej")
    assert slack.calls == ["U0", "U1"]  # the other end may have acted on it: once only
    slack.cut_off = b""
    assert client.chat_postMessage(channel="U2", text="hej")["ok"]  # on a new connection


def test_an_error_status_reaches_the_retry_handlers_and_slack_api_error(slack: _Slack) -> None:
    slack.rate_limited = 1
    client = _client(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    assert client.chat_postMessage(channel="U1", text="hej")["ok"]  # retried after the 429
    slack.rate_limited = 1
    with pytest.raises(SlackApiError):
        _client(slack).chat_postMessage(channel="U2", text="hej")


def test_a_kept_connection_the_server_closed_meanwhile_is_replaced_before_use(
    slack: _Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[http.client.HTTPConnection] = []
    request = http.client.HTTPConnection.request

    def counted(self: http.client.HTTPConnection, *args: object, **kwargs: object) -> None:
        sent.append(self)
        request(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(http.client.HTTPConnection, "request", counted)
    slack.drop_after_answer = True
    client = _client(slack)
    assert client.chat_postMessage(channel="U0", text="hej")["ok"]
    assert slack.closed.wait(5)
    assert client.chat_postMessage(channel="U1", text="hej")["ok"]
    assert len(sent) == 2 and sent[0] is not sent[1]  # nothing went out on the closed one
    assert slack.calls == ["U0", "U1"] and slack.connections == 2


def test_the_connections_of_ended_threads_are_closed_when_a_new_one_opens(slack: _Slack) -> None:
    host, port = slack.server_address[:2]
    kept = KeptConnections(timeout=5)

    def call(channel: str) -> None:
        body = json.dumps({"channel": channel}).encode()
        response, _ = kept.request("http", f"{host}:{port}", "POST", "/api/x", body)
        assert response.status == 200

    thread = threading.Thread(target=call, args=("U0",))
    thread.start()
    thread.join()
    (ended,) = kept.open
    call("U1")  # this thread's first call: a new connection
    assert ended.sock is None and len(kept.open) == 1
    kept.close()
    assert not kept.open


def test_a_connection_in_use_as_close_is_called_is_not_kept_after(slack: _Slack) -> None:
    host, port = slack.server_address[:2]
    kept = KeptConnections(timeout=5)
    slack.hold = threading.Event()
    left: list[object] = []
    outcome: list[object] = []

    def call() -> None:
        try:
            response, _ = kept.request("http", f"{host}:{port}", "POST", "/api/x",
                                       b'{"channel": "U0"}')  # fmt: skip
            outcome.append(response.status)
        except AnswerCutOff as exc:  # close() came between sending and reading the answer
            outcome.append(exc)
        left.extend(kept._local.__dict__.get("connections", {}).values())

    thread = threading.Thread(target=call)
    thread.start()
    assert slack.holding.wait(5)
    kept.close()  # the app stops while a call is on its way
    slack.hold.set()
    thread.join()
    assert left == [] and not kept.open  # nothing kept that close() no longer knows of
    # answered, or (as the close raced the request) told it may have arrived: nothing else, and
    # never sent twice
    assert outcome == [200] or isinstance(outcome[0], AnswerCutOff), outcome
    assert slack.calls == ["U0"]
