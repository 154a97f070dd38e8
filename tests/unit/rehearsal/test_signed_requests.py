"""The rehearsal's sender keeps one connection per thread and replaces one the server closed;
it sends a request again only when a kept connection was closed with no answer begun."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rehearsal.signed_requests import SlackSender


class Recorder(ThreadingHTTPServer):
    daemon_threads = True
    connections = 0
    bodies: list[bytes]
    close_after: int | None = None  # close the connection after this many requests on it
    drop_once: bytes | None = None  # close without answering the first request holding this
    cut_short: bool = False  # answer 10 bytes announced, 2 sent, then close


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless told otherwise
    server: Recorder

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1
        self.served = 0

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.bodies.append(body)
        drop = self.server.drop_once
        if drop and drop in body and self.served:  # a kept connection, closed unanswered
            self.server.drop_once = None
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Length", "10" if self.server.cut_short else "2")
        self.end_headers()
        self.wfile.write(b"ok")
        if self.server.cut_short:
            self.close_connection = True
            return
        self.served += 1
        if self.server.close_after == self.served:
            self.close_connection = True  # closed without saying so: as an idle timeout does

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder(("127.0.0.1", 0), Handler)
    recorder.bodies = []
    thread = threading.Thread(target=recorder.serve_forever, daemon=True)
    thread.start()
    yield recorder
    recorder.shutdown()
    recorder.server_close()


def url(server: Recorder) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/slack/events"


def test_kept_alive_one_connection_carries_every_request(server):
    sender = SlackSender(url(server), "secret", keep_alive=True)
    replies = [sender.command("/anmal", str(n), "U1") for n in range(3)]
    sender.close()
    assert [r.body for r in replies] == ["ok"] * 3
    assert server.connections == 1 and len(server.bodies) == 3


def test_a_closed_kept_connection_is_opened_anew_and_nothing_sent_twice(server):
    server.close_after = 2
    sender = SlackSender(url(server), "secret", keep_alive=True)
    replies = [sender.command("/anmal", f"n{n}", "U1") for n in range(3)]
    sender.close()
    assert [r.status for r in replies] == [200] * 3
    assert server.connections == 2
    assert [b.count(b"text=n") for b in server.bodies] == [1, 1, 1]


def test_a_kept_connection_closed_unanswered_sends_the_request_once_more(server):
    server.drop_once = b"text=second"
    sender = SlackSender(url(server), "secret", keep_alive=True)
    first = sender.command("/anmal", "first", "U1")
    second = sender.command("/anmal", "second", "U1")
    sender.close()
    assert (first.status, second.status) == (200, 200)
    assert [b.count(b"text=second") for b in server.bodies] == [0, 1, 1]
    assert server.connections == 2


def test_an_answer_cut_short_is_an_error_and_not_sent_again(server):
    server.cut_short = True
    sender = SlackSender(url(server), "secret", keep_alive=True)
    with pytest.raises(http.client.IncompleteRead):
        sender.command("/anmal", "x", "U1")
    assert len(server.bodies) == 1 and not sender._open  # closed, not kept


def test_each_thread_has_its_own_connection_and_close_closes_them_all(server):
    sender = SlackSender(url(server), "secret", keep_alive=True)
    threads = [threading.Thread(target=lambda: [sender.command("/anmal", "", "U1")
                                                for _ in range(2)]) for _ in range(3)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert server.connections == 3 and len(server.bodies) == 6
    kept = set(sender._open)
    sender.close()
    assert len(kept) == 3 and all(connection.sock is None for connection in kept)


def test_without_keep_alive_every_request_has_a_connection_of_its_own(server):
    sender = SlackSender(url(server), "secret")
    for n in range(3):
        sender.command("/anmal", str(n), "U1")
    assert server.connections == 3


def test_a_server_that_is_not_there_is_an_error_not_a_retry():
    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as gone:
        port = gone.server_address[1]
    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", "secret", keep_alive=True)
    with pytest.raises(ConnectionRefusedError):
        sender.command("/anmal", "", "U1")
