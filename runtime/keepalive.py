"""HTTP connections kept open between requests (one per thread and host), and a WebClient on them.

slack_sdk's sync WebClient opens a new connection (and, against slack.com, a new TLS session)
for every Web API call through urllib. In a deadline rush that is ~2.4 connections per person:
their connect/close cost CPU, and a burst of them can overflow the listening queue of the other
end (a dropped SYN is retried after 1 s). KeptConnections keeps them instead; KeepAliveWebClient
sends the app's Web API calls through it (what urllib would do otherwise, a proxy or a non-HTTP
URL, goes to urllib), and the rehearsal's SlackSender sends its signed requests through it.
"""

from __future__ import annotations

import http.client
import io
import select
import socket
import ssl
import threading
from typing import Any, cast
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient

from bot.errors import MaybeDelivered

# How a kept connection the other end closed meanwhile fails while the request goes out: it is
# sent once more on a new connection.
_CLOSED_WHILE_SENDING = (ConnectionResetError, BrokenPipeError)


class AnswerCutOff(MaybeDelivered):
    """The connection was reset once the request had gone out and its answer may have begun: the
    other end may have acted on it, so it is not sent again. (A ConnectionResetError would be:
    slack_sdk's ConnectionErrorRetryHandler resends those whenever they come.)"""


class KeptConnections:
    """Each thread's HTTP connections, one per (scheme, netloc), kept open between requests.

    A kept connection the server has closed meanwhile is seen before use and replaced; should the
    server close it as the request goes out, or close it without a byte of answer, the request is
    sent once more on a new connection. It is never sent again after a new connection failed, nor
    when the connection was reset once the request had gone out (the answer may have begun): that
    raises AnswerCutOff, which slack_sdk's retry handlers leave alone, as does a request whose
    answer close() cut off. close() closes every thread's connections; those of threads that
    have ended are closed when a new one opens.
    Without `keep`, every request has a connection of its own."""

    def __init__(
        self, timeout: float | None, ssl_context: ssl.SSLContext | None = None, *, keep: bool = True
    ):
        self._timeout = timeout
        self._ssl = ssl_context
        self._keep = keep
        self._local = threading.local()
        # Every thread's open connections and their threads: for close(), and to close those of
        # threads that have ended (their thread-local dicts are gone with them).
        self._owners: dict[http.client.HTTPConnection, threading.Thread] = {}
        self._lock = threading.Lock()

    @property
    def open(self) -> set[http.client.HTTPConnection]:
        """The connections open now, of every thread."""
        with self._lock:
            return set(self._owners)

    def request(
        self,
        scheme: str,
        netloc: str,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[http.client.HTTPResponse, bytes]:
        """Send a request to scheme://netloc (https or http); return the response and its body.
        (The body is bytes: what may have to be sent twice.)"""
        key = (scheme, netloc)
        connection = self._take(key)
        kept = connection is not None
        while True:
            if connection is None:
                connection = self._connect(scheme, netloc)
            try:
                connection.request(method, path, body=body, headers=headers or {})
            except _CLOSED_WHILE_SENDING:
                self._drop(connection)
                if not kept:
                    raise
                connection, kept = None, False  # once more, on a new connection
                continue
            except BaseException:
                self._drop(connection)
                raise
            try:
                response = connection.getresponse()
            except Exception as exc:
                closed = self._closed_meanwhile(connection)  # before _drop forgets it
                self._drop(connection)
                if closed:  # close() while the answer was awaited
                    raise self._cut_off(method, scheme, netloc, path, exc) from exc
                if isinstance(exc, http.client.RemoteDisconnected):  # not a byte of answer
                    if not kept:
                        raise
                    connection, kept = None, False
                    continue
                if isinstance(exc, ConnectionResetError):  # the answer may have begun
                    raise self._cut_off(method, scheme, netloc, path, exc) from exc
                raise
            except BaseException:
                self._drop(connection)
                raise
            try:
                data = response.read()
            except Exception as exc:
                closed = self._closed_meanwhile(connection)
                self._drop(connection)
                if isinstance(exc, ConnectionResetError) or closed:
                    raise self._cut_off(method, scheme, netloc, path, exc) from exc  # it began
                raise
            except BaseException:
                self._drop(connection)
                raise
            with self._lock:  # (close() meanwhile: it no longer knows this one, so not kept)
                keep = self._keep and not response.will_close and connection in self._owners
            if keep:
                self._local.__dict__.setdefault("connections", {})[key] = connection
            else:
                self._drop(connection)
            return response, data

    def _closed_meanwhile(self, connection: http.client.HTTPConnection) -> bool:
        """close() has closed this connection since it was opened (the app is stopping)."""
        with self._lock:
            return connection not in self._owners

    @staticmethod
    def _cut_off(method: str, scheme: str, netloc: str, path: str, exc: Exception) -> AnswerCutOff:
        """The request went out and its answer was lost: the other end may have acted on it."""
        return AnswerCutOff(f"{method} {scheme}://{netloc}{path}: {exc!r}")

    def close(self) -> None:
        """Close the connections kept by every thread. A request on its way meanwhile fails
        with AnswerCutOff (it may have arrived), never sent again."""
        with self._lock:
            connections, self._owners = list(self._owners), {}
        for connection in connections:
            connection.close()

    def _take(self, key: tuple[str, str]) -> http.client.HTTPConnection | None:
        """This thread's kept connection for key if it is still open at both ends."""
        kept: dict[tuple[str, str], http.client.HTTPConnection] = self._local.__dict__.get(
            "connections", {}
        )
        connection = kept.pop(key, None)
        if connection is not None and (connection.sock is None or _readable(connection.sock)):
            self._drop(connection)  # (readable before we asked: the server has closed it)
            return None
        return connection

    def _connect(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        connection = (
            http.client.HTTPSConnection(netloc, timeout=self._timeout, context=self._ssl)
            if scheme == "https"
            else http.client.HTTPConnection(netloc, timeout=self._timeout)
        )
        with self._lock:
            ended = [c for c, thread in self._owners.items() if not thread.is_alive()]
            for stale in ended:
                del self._owners[stale]
            self._owners[connection] = threading.current_thread()
        for stale in ended:
            stale.close()
        return connection

    def _drop(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        with self._lock:
            self._owners.pop(connection, None)


def _readable(sock: socket.socket) -> bool:
    if hasattr(select, "poll"):  # poll(): unlike select(), any descriptor number (>= 1024 too)
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([sock], [], [], 0)[0])


class KeepAliveWebClient(WebClient):
    """A WebClient whose calls reuse one connection per thread and host (KeptConnections)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._connections = KeptConnections(self.timeout, self.ssl)

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        parts = urlsplit(url)
        if self.proxy is not None or parts.scheme not in ("http", "https"):
            return super()._perform_urllib_http_request_internal(url, req)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        data = cast("bytes | None", req.data)  # slack_sdk's requests carry bytes or nothing
        response, body = self._connections.request(
            parts.scheme, parts.netloc, "POST", path, data, dict(req.header_items())
        )
        return self._answer(url, response, body)

    @staticmethod
    def _answer(url: str, response: http.client.HTTPResponse, body: bytes) -> dict[str, Any]:
        """What urllib's path returns: HTTPError for a status outside 2xx, the body as text
        (bytes for a gzip file)."""
        if not 200 <= response.status < 300:
            raise HTTPError(
                url, response.status, response.reason, response.headers, io.BytesIO(body)
            )
        if response.headers.get_content_type() == "application/gzip":
            return {"status": response.status, "headers": response.headers, "body": body}
        charset = response.headers.get_content_charset() or "utf-8"
        return {
            "status": response.status,
            "headers": response.headers,
            "body": body.decode(charset),
        }
