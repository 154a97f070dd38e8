"""A local stand-in for Slack's Web API: real HTTP, Slack's wire format, every call recorded.

Used by the tests, the offline rehearsal and the benchmarks, where Slack itself cannot be reached.
It answers the methods the bot uses, can refuse calls with Slack's errors, answer 5xx, or enforce a
per-channel rate limit with HTTP 429 + Retry-After, as Slack does.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from rehearsal.standin.http_handler import Call, handler_class
from rehearsal.standin.pooled_server import PooledHTTPServer
from rehearsal.standin.socket_mode import SocketSessions
from rehearsal.standin.web_api import SharedFile, WebApiAnswers


@dataclass
class _Fault:
    error: str | None = None  # Slack error code, answered as {"ok": false, "error": ...}
    status: int = 200  # HTTP status (429, 500, 503, ...)
    retry_after: int = 1
    times: int = 1
    channel: str | None = None
    cut_off: bool = False  # acted on, then the connection reset as the answer began


@dataclass
class _Bucket:
    rate: float
    burst: float
    tokens: float
    at: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now


class SlackStandIn(WebApiAnswers):
    """Start with `with SlackStandIn() as slack:`; `slack.api_url` is the WebClient base URL."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.calls: list[Call] = []
        self._by_method: dict[str, list[Call]] = defaultdict(list)  # the same calls, by method
        self.users: dict[str, dict[str, Any]] = {}
        self.external_users: dict[str, str] = {}  # user id -> their (other) team: Slack Connect
        self.usergroups: dict[str, list[str]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}  # file id -> the bytes POSTed to its upload URL
        self.upload_names: dict[str, str] = {}  # file id -> filename asked for
        self.shared_files: list[SharedFile] = []  # completed uploads, in order
        self.sockets = SocketSessions()
        self.bot_user_id = "UBOT00001"
        # what each recorded Call keeps besides its params (the rehearsal: simulated time, actor)
        self.context: Callable[[], dict[str, Any]] | None = None
        self._faults: dict[str, list[_Fault]] = defaultdict(list)
        self._rate: dict[str, float] = {}
        self._delays: dict[str, float] = {}  # method -> seconds between calls per channel
        self._last_call: dict[tuple[str, str], float] = {}
        self._buckets: dict[str, _Bucket] = {}  # method -> workspace-wide token bucket
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._server = PooledHTTPServer((host, port), self._handler_class())
        self._thread: threading.Thread | None = None

    # ----- lifecycle -----
    @property
    def api_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/"

    @property
    def response_url(self) -> str:
        """A response_url for interactive payloads; what the app posts there is recorded."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/response/{next(self._ids)}"

    def responses(self) -> list[Call]:
        """What the app posted to response_urls (respond(...))."""
        return self.calls_to("response_url")

    def start(self) -> SlackStandIn:
        # a short poll: stop() (shutdown) waits for the loop to notice, 0.5 s by default
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.sockets.close_all()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----- configuration -----
    def add_user(self, user_id: str, **profile: Any) -> None:
        self.users[user_id] = profile

    def add_channel(self, channel_id: str, name: str) -> None:
        """A channel that exists already (not made by the app through conversations.create)."""
        self.channels[channel_id] = {"id": channel_id, "name": name, "members": []}

    def add_external_user(self, user_id: str, team_id: str = "T0PARTNER") -> None:
        """A person of another organisation in a shared channel: the bot may receive their
        interactions but not read their profile (users.info: user_not_found) nor DM them."""
        self.external_users[user_id] = team_id

    def fail(
        self,
        method: str,
        error: str | None = None,
        *,
        status: int = 200,
        times: int = 1,
        retry_after: int = 1,
        channel: str | None = None,
        cut_off: bool = False,
    ) -> None:
        """Make the next `times` calls of method fail (a Slack error, or an HTTP status); with
        `cut_off`, Slack acts on the call (a message is posted) but the connection is reset as
        its answer begins."""
        with self._lock:
            self._faults[method].append(_Fault(error, status, retry_after, times, channel, cut_off))

    def delay(self, method: str, seconds: float) -> None:
        """Answer method only after this many seconds (a slow Slack)."""
        self._delays[method] = seconds

    def rate_limit(self, method: str, per_second: float) -> None:
        """Answer 429 + Retry-After when one channel gets calls faster than per_second."""
        self._rate[method] = 1.0 / per_second

    def workspace_rate_limit(self, method: str, per_second: float, burst: float = 1.0) -> None:
        """Also cap method across all channels (Slack's workspace-wide limit) with a token
        bucket of `per_second` tokens per second holding at most `burst`; over it: 429 with
        Retry-After (whole seconds, at least 1, as Slack sends it)."""
        self._buckets[method] = _Bucket(per_second, burst, burst, time.monotonic())

    def wait_until(self, predicate: Callable[[], bool], *, timeout: float = 15.0,
                   what: str = "condition") -> None:  # fmt: skip
        """Block until predicate() holds (re-checked when calls arrive, outside the lock, so it
        may use calls_to() and posts())."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{what} never held")
            with self._arrived:
                self._arrived.wait(timeout=min(remaining, 0.1))

    def stamp(self) -> dict[str, Any]:
        """The context a call arriving now is recorded with."""
        return self.context() if self.context else {}

    # ----- inspection -----
    def record(self, call: Call) -> None:
        """Keep a call that arrived, and wake whoever waits for calls."""
        with self._arrived:
            self.calls.append(call)
            self._by_method[call.method].append(call)
            self._arrived.notify_all()

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return list(self._by_method.get(method, ()))

    def posts(self, channel: str | None = None) -> list[Call]:
        """Accepted chat.postMessage calls (optionally to one channel or user id)."""
        return [
            c for c in self.calls_to("chat.postMessage") if c.ok and channel in (None, c.channel)
        ]

    def wait_for(
        self, method: str, count: int = 1, *, timeout: float = 15.0, ok_only: bool = True
    ) -> list[Call]:
        """Block until at least count calls of method have arrived (the app acks before it
        calls the Web API); raises TimeoutError naming what did arrive."""

        def matching() -> list[Call]:
            calls = self._by_method.get(method, [])
            return [c for c in calls if c.ok] if ok_only else list(calls)

        with self._arrived:
            if not self._arrived.wait_for(lambda: len(matching()) >= count, timeout=timeout):
                seen = sorted({c.method for c in self.calls})
                raise TimeoutError(f"{method} x{count} never arrived; calls seen: {seen}")
            return matching()

    def wait_for_posts(self, channel: str, count: int = 1, *, timeout: float = 15.0) -> list[Call]:
        """Block until at least count accepted chat.postMessage calls reached channel."""
        self.wait_until(
            lambda: len(self.posts(channel)) >= count,
            timeout=timeout,
            what=f"{count} posts to {channel}",
        )
        return self.posts(channel)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._by_method.clear()
            self._faults.clear()
            self._last_call.clear()

    # ----- answering -----
    def _take_fault(self, method: str, params: dict[str, Any]) -> _Fault | None:
        with self._lock:
            for fault in self._faults.get(method, []):
                if fault.times > 0 and fault.channel in (None, params.get("channel")):
                    fault.times -= 1
                    return fault
        return None

    def _rate_limited(self, method: str, params: dict[str, Any]) -> int | None:
        gap = self._rate.get(method)
        if gap is None and method not in self._buckets:
            return None
        key = (method, str(params.get("channel")))
        now = time.monotonic()
        with self._lock:
            last = self._last_call.get(key)
            if gap is not None and last is not None and now - last < gap:
                return max(1, round(gap - (now - last) + 0.49))
            bucket = self._buckets.get(method)
            if bucket is not None:
                bucket.refill(now)
                if bucket.tokens < 1:
                    return max(1, math.ceil((1 - bucket.tokens) / bucket.rate))
                bucket.tokens -= 1
            self._last_call[key] = now
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        return handler_class(self)
