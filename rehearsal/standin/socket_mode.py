"""Socket Mode for the Slack stand-in: a minimal WebSocket endpoint speaking Slack's envelopes.

`apps.connections.open` answers with ws://…/socket; the app connects, gets {"type": "hello"},
and the stand-in can push envelopes (slash commands, interactivity) and record the app's acks.
Only what Slack's Socket Mode uses of RFC 6455: text frames, ping/pong, close.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import struct
import threading
import uuid
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def _frame(opcode: int, payload: bytes) -> bytes:
    header = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
        header += bytes([n])
    elif n < 65536:
        header += bytes([126]) + struct.pack("!H", n)
    else:
        header += bytes([127]) + struct.pack("!Q", n)
    return header + payload


def _read_exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("socket closed")
        data += chunk
    return data


def _read_frame(sock: socket.socket) -> tuple[int, bytes]:
    first, second = _read_exact(sock, 2)
    opcode, masked, n = first & 0x0F, second & 0x80, second & 0x7F
    if n == 126:
        n = struct.unpack("!H", _read_exact(sock, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", _read_exact(sock, 8))[0]
    mask = _read_exact(sock, 4) if masked else b"\0\0\0\0"
    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(_read_exact(sock, n)))
    return opcode, payload


class SocketSessions:
    """The stand-in's open Socket Mode connections and the acks they sent back."""

    def __init__(self) -> None:
        self._sockets: list[socket.socket] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self._changed = threading.Condition()

    def serve(self, handler: Any) -> None:
        """Take over an HTTP request that asks to upgrade to a WebSocket (runs in its thread)."""
        key = handler.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        handler.send_response(101, "Switching Protocols")
        handler.send_header("Upgrade", "websocket")
        handler.send_header("Connection", "Upgrade")
        handler.send_header("Sec-WebSocket-Accept", accept)
        handler.end_headers()
        handler.wfile.flush()
        sock: socket.socket = handler.connection
        sock.sendall(_frame(0x1, json.dumps({"type": "hello", "num_connections": 1}).encode()))
        with self._changed:
            self._sockets.append(sock)
            self._changed.notify_all()
        try:
            while True:
                opcode, payload = _read_frame(sock)
                if opcode == 0x8:  # close
                    break
                if opcode == 0x9:  # ping
                    sock.sendall(_frame(0xA, payload))
                elif opcode == 0x1:
                    message = json.loads(payload)
                    with self._changed:
                        self.acks[message.get("envelope_id", "")] = message.get("payload") or {}
                        self._changed.notify_all()
        except (ConnectionError, OSError, ValueError):
            pass
        finally:
            with self._changed:
                if sock in self._sockets:
                    self._sockets.remove(sock)
        handler.close_connection = True

    def wait_connected(self, timeout: float = 30.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: bool(self._sockets), timeout=timeout):
                raise TimeoutError("the app never opened a Socket Mode connection")

    def send(self, kind: str, payload: dict[str, Any], timeout: float = 15.0) -> dict[str, Any]:
        """Push an envelope to the app and return the payload of its ack."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": True,
            "retry_attempt": 0,
        }
        with self._changed:
            sock = self._sockets[-1]
        sock.sendall(_frame(0x1, json.dumps(envelope).encode()))
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self.acks, timeout=timeout):
                raise TimeoutError(f"no ack for the {kind} envelope")
            return self.acks[envelope_id]

    def close_all(self) -> None:
        with self._changed:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.sendall(_frame(0x8, b""))
