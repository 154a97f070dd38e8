"""The stand-in's HTTP side: Web API calls, response_urls, file uploads and the Socket Mode
upgrade, answered in Slack's wire format."""

from __future__ import annotations

import json
import socket
import struct
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlparse


@dataclass
class Call:
    """One Web API call as the stand-in received it."""

    method: str
    params: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)
    ok: bool = True  # False when the stand-in refused it (fault, 429)
    context: dict[str, Any] = field(default_factory=dict)  # SlackStandIn.context() when it came

    @property
    def channel(self) -> str | None:
        return self.params.get("channel")


def handler_class(standin: Any) -> type[BaseHTTPRequestHandler]:
    """A request handler bound to one SlackStandIn."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # buffered: the status line, headers and body leave in one send when the answer is
        # flushed (unbuffered, the headers and the body were sends of their own); and no Nagle
        # delay for anything written in pieces (Slack answers at once)
        wbufsize = 64 * 1024
        disable_nagle_algorithm = True

        def log_message(self, *_args: object) -> None:  # keep test output clean
            pass

        def _read_params(self) -> dict[str, Any]:
            url = urlparse(self.path)
            params: dict[str, Any] = dict(parse_qsl(url.query))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            content_type = self.headers.get("Content-Type", "")
            if body and "json" in content_type:
                params.update(json.loads(body))
            elif body and "x-www-form-urlencoded" in content_type:
                params.update(parse_qsl(body.decode()))
            elif body:
                params["_body"] = body
            return params

        def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.startswith("/socket"):
                standin.sockets.serve(self)
                return
            self.do_POST()

        def do_POST(self) -> None:
            path = urlparse(self.path).path
            if path.startswith("/upload/"):  # raw bytes, whatever Content-Type says
                length = int(self.headers.get("Content-Length") or 0)
                standin.uploads[path.rsplit("/", 1)[1]] = self.rfile.read(length)
                self._send(200, {"ok": True}, {})
                return
            params = self._read_params()
            if path.startswith("/response/"):
                standin.record(Call("response_url", params, None, context=standin.stamp()))
                self._send(200, {"ok": True}, {})
                return
            method = path.removeprefix("/api/")
            auth = self.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ") or params.get("token")
            call = Call(method, params, token, context=standin.stamp())
            if method in standin._delays:
                time.sleep(standin._delays[method])
            fault = standin._take_fault(method, params)
            call.ok = fault is None or fault.cut_off  # a cut-off call was acted on
            retry_after = None if fault else standin._rate_limited(method, params)
            answer = standin.answer(method, params) if call.ok and retry_after is None else {}
            call.ok = call.ok and retry_after is None and bool(answer.get("ok"))
            standin.record(call)
            if fault and fault.cut_off:
                self._reset_midway()
                return
            if fault and fault.status == 429:
                self._send(
                    429,
                    {"ok": False, "error": "ratelimited"},
                    {"Retry-After": str(fault.retry_after)},
                )
                return
            if fault and fault.status >= 500:
                self._send(fault.status, {"ok": False, "error": "internal_error"}, {})
                return
            if fault and fault.error:
                self._send(200, {"ok": False, "error": fault.error}, {})
                return
            if retry_after is not None:
                self._send(
                    429,
                    {"ok": False, "error": "ratelimited"},
                    {"Retry-After": str(retry_after)},
                )
                return
            self._send(200, answer, {})

        def _reset_midway(self) -> None:
            """The answer's status line, then a reset (RST) instead of the rest."""
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

    return Handler
