"""Where broadcasts run: a small pool of background threads, never a listener thread (those must
ack within 3 s), plus the poller that starts scheduled broadcasts and resumes interrupted ones.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.clock import Clock
from bot.coordination import broadcast_sending, broadcasts
from bot.coordination.settings import BroadcastSettings
from storage.db import Database
from storage.models import BroadcastStatus
from workers.broadcast_sender import BroadcastSender
from workers.mail import MailSender

if TYPE_CHECKING:
    from workers.services import Services

logger = logging.getLogger(__name__)
# A Web API call (with its retries) ends long before this; a row still 'sending' after it was
# claimed by a process that died. Safe with several instances (none is that slow).
INTERRUPTED_AFTER = timedelta(minutes=2)


class BroadcastRunner:
    """Starts and sends broadcasts in the background, one sender per broadcast at a time.

    `on_sent(broadcast_id)` runs after a broadcast was sent (the app refreshes the author's
    Home tab there); a failure in it is logged, never raised."""

    def __init__(
        self,
        db: Database,
        client: WebClient,
        clock: Clock,
        settings: BroadcastSettings,
        *,
        on_sent: Callable[[int], None] | None = None,
        instance: str = "",
        mail: MailSender | None = None,
    ):
        self.db, self.client, self.clock = db, client, clock
        self.mail = mail  # people Slack will not DM (another organisation) are e-mailed
        self.instance = instance  # recorded on each claim, so a restart finds its own rows
        self.settings = settings
        self.on_sent = on_sent
        self.stop_event = threading.Event()
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="broadcast")
        self._running: set[int] = set()
        self._lock = threading.Lock()

    @property
    def idle(self) -> bool:
        """No broadcast is being sent by this runner."""
        with self._lock:
            return not self._running

    def submit(self, broadcast_id: int) -> Future | None:
        """Start (if due) and send this broadcast; None if it is already running here."""
        with self._lock:
            if broadcast_id in self._running:
                return None
            self._running.add(broadcast_id)
        return self._executor.submit(self._run, broadcast_id)

    def _run(self, broadcast_id: int) -> broadcast_sending.Progress | None:
        try:
            with self.db.transaction() as session:
                broadcast_sending.start(session, broadcast_id, now=self.clock.now())
                status = broadcasts.get(session, broadcast_id).status
            if status != BroadcastStatus.SENDING:
                return None
            sender = BroadcastSender(
                self.db, self.client, self.clock,
                rate=self.settings.rate_per_second, workers=self.settings.workers,
                progress_seconds=self.settings.progress_seconds, stop=self.stop_event,
                instance=self.instance,
                mail=self.mail,
            )  # fmt: skip
            progress = sender.run(broadcast_id)
            self._after_sent(broadcast_id)
            return progress
        except Exception:
            logger.exception("Failed to send broadcast %s", broadcast_id)
            return None
        finally:
            with self._lock:
                self._running.discard(broadcast_id)

    def _after_sent(self, broadcast_id: int) -> None:
        if self.on_sent is None:
            return
        try:
            self.on_sent(broadcast_id)
        except Exception:
            logger.warning("After-send step of broadcast %s failed", broadcast_id, exc_info=True)

    def submit_due(self) -> list[int]:
        """Scheduled broadcasts whose time has come and started ones with messages left."""
        with self.db.transaction() as session:
            ids = broadcasts.due_ids(session, now=self.clock.now())
        return [i for i in ids if self.submit(i) is not None]

    def shutdown(self) -> None:
        self.stop_event.set()
        self._executor.shutdown(wait=True, cancel_futures=True)


def flag_interrupted(services: Services) -> int:
    """Rows claimed long ago and still 'sending' belong to a dead process: flag them 'unknown'."""
    with services.db.transaction() as session:
        flagged = broadcast_sending.mark_interrupted(
            session, claimed_before=services.clock.now() - INTERRUPTED_AFTER
        )
    if flagged:
        logger.warning(
            "%s broadcast messages were interrupted mid-send; listed as unknown", flagged
        )
    return flagged


def start_poller(services: Services) -> Callable[[], None]:
    """Background worker for runtime.serve.BACKGROUND: every poll_seconds, flag what a killed
    process left mid-send, then start due broadcasts and resume unfinished ones. Returns stop()."""
    runner = services.broadcasts
    stopped = threading.Event()

    def loop() -> None:
        while not stopped.is_set():
            try:
                flag_interrupted(services)
                runner.submit_due()
            except Exception:
                logger.exception("Failed to poll for due broadcasts")
            stopped.wait(runner.settings.poll_seconds)

    thread = threading.Thread(target=loop, daemon=True, name="broadcast-poller")
    thread.start()

    def stop() -> None:
        stopped.set()
        runner.shutdown()
        thread.join(timeout=5)

    return stop
