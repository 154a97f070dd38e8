"""A WebClient that keeps its HTTP connection to Slack open between calls (one per thread).

slack_sdk's sync WebClient opens a new connection (and, against slack.com, a new TLS session)
for every Web API call through urllib. In a deadline rush that is ~2.4 connections per person:
their connect/close cost CPU, and a burst of them can overflow the listening queue of the other
end (a dropped SYN is retried after 1 s). Here each thread keeps one http.client connection per
host and reuses it; what urllib would do otherwise (a proxy, a non-HTTP URL) goes to urllib.
"""

from __future__ import annotations

import http.client
import io
import threading
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient

# A kept connection the other end has closed meanwhile fails like this on its next use: the
# request is sent again once on a new connection (slack_sdk's ConnectionErrorRetryHandler
# retries these same errors for the calls of the app's client as well).
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class KeepAliveWebClient(WebClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept = threading.local()

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        parts = urlsplit(url)
        if self.proxy is not None or parts.scheme not in ("http", "https"):
            return super()._perform_urllib_http_request_internal(url, req)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = dict(req.header_items())
        connections: dict[tuple[str, str], http.client.HTTPConnection] = (
            self._kept.__dict__.setdefault("connections", {})
        )
        key = (parts.scheme, parts.netloc)
        for attempt in (1, 2):
            connection = connections.pop(key, None)
            reused = connection is not None
            if connection is None:
                connection = self._connect(parts.scheme, parts.netloc)
            try:
                connection.request("POST", path, body=req.data, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except _STALE:
                connection.close()
                if reused and attempt == 1:
                    continue
                raise
            except BaseException:
                connection.close()
                raise
            if not response.will_close:
                connections[key] = connection
            else:
                connection.close()
            return self._answer(url, response, body)
        raise AssertionError("unreachable")

    def _connect(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        if scheme == "https":
            return http.client.HTTPSConnection(netloc, timeout=self.timeout, context=self.ssl)
        return http.client.HTTPConnection(netloc, timeout=self.timeout)

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
