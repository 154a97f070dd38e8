"""Sending one broadcast at Slack's pace: a token bucket shared by a few workers, 429 honoured.

Every message goes through the outbox and Deliverer (claim, send, finish), so each recipient gets
it once even if two senders meet. The bucket paces chat.postMessage below the workspace limit; a
429 still pauses every worker for Retry-After (not just the one that hit it) before retrying.
One progress message in the coordinator's DM is updated with chat.update as the sending goes.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.blocks.coordinator import build_progress
from bot.clock import Clock
from bot.coordination import broadcast_sending, broadcasts
from bot.events.service import definition_of
from storage.db import Database
from storage.models import Event
from workers.delivery import Deliverer
from workers.mail import MailSender

logger = logging.getLogger(__name__)


class TokenBucket:
    """At most `rate` acquisitions per second (bursts up to `burst`); pause() stops everyone."""

    def __init__(
        self, rate: float, burst: float = 1.0, monotonic: Callable[[], float] = time.monotonic
    ):
        self.rate = rate
        self.burst = burst
        self._monotonic = monotonic
        self._tokens = burst
        self._last = monotonic()
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self._monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if now >= self._paused_until and self._tokens >= 1:
                    self._tokens -= 1
                    return
                wait = max(self._paused_until - now, (1 - self._tokens) / self.rate)
            time.sleep(wait)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, self._monotonic() + seconds)
            self._tokens = 0


class PacingRateLimitHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler (sleep Retry-After, retry) that also pauses the shared bucket."""

    def __init__(self, bucket: TokenBucket, max_retry_count: int = 10):
        super().__init__(max_retry_count=max_retry_count)
        self.bucket = bucket

    def prepare_for_next_attempt(self, *, state: Any, request: Any, response: Any = None,
                                 error: Any = None) -> None:  # fmt: skip
        if response is not None:
            header = next((v for k, v in response.headers.items() if k.lower() == "retry-after"),
                          ["1"])  # fmt: skip
            value = header[0] if isinstance(header, list) else header
            self.bucket.pause(float(value))
        super().prepare_for_next_attempt(state=state, request=request, response=response,
                                         error=error)  # fmt: skip


def paced_client(client: WebClient, bucket: TokenBucket) -> WebClient:
    """A client like `client` whose 429s pause the bucket."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            PacingRateLimitHandler(bucket),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


class BroadcastSender:
    """Sends the due outbox rows of one broadcast, paced, and reports progress."""

    def __init__(self, db: Database, client: WebClient, clock: Clock, *, rate: float,
                 workers: int = 4, progress_seconds: float = 2.0,
                 stop: threading.Event | None = None, instance: str | None = None,
                 mail: MailSender | None = None):  # fmt: skip
        self.db = db
        self.client = client  # for progress messages (not paced: another method, another limit)
        self.clock = clock
        self.bucket = TokenBucket(rate)
        # people Slack will not DM (another organisation) get the broadcast by e-mail
        self.deliverer = Deliverer(db, paced_client(client, self.bucket), clock,
                                   instance=instance, mail=mail)  # fmt: skip
        self.workers = workers
        self.progress_seconds = progress_seconds
        self.stop = stop or threading.Event()
        self._last_progress = 0.0

    def run(self, broadcast_id: int) -> broadcast_sending.Progress:
        """Send until nothing due is left (or stop is set); the broadcast is done when all went."""
        with self.db.transaction() as session:
            ids = broadcast_sending.pending_ids(session, broadcast_id, now=self.clock.now())
        self._report(broadcast_id)
        work: queue.Queue[int] = queue.Queue()
        for message_id in ids:
            work.put(message_id)
        threads = [
            threading.Thread(target=self._work, args=(work,), daemon=True, name=f"broadcast-{n}")
            for n in range(min(self.workers, max(len(ids), 1)))
        ]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            time.sleep(0.1)
            if time.monotonic() - self._last_progress >= self.progress_seconds:
                self._report(broadcast_id)
        with self.db.transaction() as session:
            broadcast_sending.finish_if_complete(session, broadcast_id, now=self.clock.now())
        return self._report(broadcast_id)

    def _work(self, work: queue.Queue[int]) -> None:
        while not self.stop.is_set():
            try:
                message_id = work.get_nowait()
            except queue.Empty:
                return
            self.bucket.acquire()
            if self.stop.is_set():
                return
            try:
                self.deliverer.deliver([message_id])
            except Exception:
                logger.exception("Failed to deliver broadcast message %s", message_id)

    def _report(self, broadcast_id: int) -> broadcast_sending.Progress:
        """Post or update the one progress message."""
        with self.db.transaction() as session:
            progress = broadcast_sending.progress(session, broadcast_id)
            broadcast = broadcasts.get(session, broadcast_id)
            event = session.get(Event, broadcast.event_id)
            title = definition_of(event).title if event else ""
            author, lang = broadcast.author, broadcast.lang
            channel, ts = broadcast.progress_channel, broadcast.progress_ts
        self._last_progress = time.monotonic()
        text, blocks = build_progress(title, progress, lang)
        try:
            if channel and ts:
                self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
            else:
                reply = self.client.chat_postMessage(channel=author, text=text, blocks=blocks)
                with self.db.transaction() as session:
                    broadcast_sending.set_progress_message(
                        session, broadcast_id, channel=reply["channel"], ts=reply["ts"]
                    )
        except Exception:
            logger.exception("Failed to report the progress of broadcast %s", broadcast_id)
        return progress
