"""Where broadcasts run: a small pool of background threads, never a listener thread (those must
ack within 3 s), plus the poller that starts scheduled broadcasts and resumes interrupted ones.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from bot.coordination import broadcasts
from bot.coordination.settings import BroadcastSettings
from storage.models import BroadcastStatus
from workers.broadcast_sender import BroadcastSender
from workers.services import Services

logger = logging.getLogger(__name__)
# A Web API call (with its retries) ends long before this; a row still 'sending' after it was
# claimed by a process that died. Safe with several instances (none is that slow).
INTERRUPTED_AFTER = timedelta(minutes=2)


class BroadcastRunner:
    """Starts and sends broadcasts in the background, one sender per broadcast at a time."""

    def __init__(self, services: Services, settings: BroadcastSettings | None = None):
        self.services = services
        self.settings = settings or BroadcastSettings.of(services.settings)
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

    def _run(self, broadcast_id: int) -> broadcasts.Progress | None:
        services = self.services
        try:
            with services.db.transaction() as session:
                broadcasts.start(session, broadcast_id, now=services.clock.now())
                status = broadcasts.get(session, broadcast_id).status
            if status != BroadcastStatus.SENDING:
                return None
            sender = BroadcastSender(
                services.db, services.deliverer.client, services.clock,
                rate=self.settings.rate_per_second, workers=self.settings.workers,
                progress_seconds=self.settings.progress_seconds, stop=self.stop_event,
                mail=services.deliverer.mail,
            )  # fmt: skip
            progress = sender.run(broadcast_id)
            self._refresh_home(broadcast_id)
            return progress
        except Exception:
            logger.exception("Failed to send broadcast %s", broadcast_id)
            return None
        finally:
            with self._lock:
                self._running.discard(broadcast_id)

    def _refresh_home(self, broadcast_id: int) -> None:
        """The author's dashboard shows the outcome without reopening the Home tab."""
        from workers.home import publish_home  # the Home tab imports the coordinator tools

        with self.services.db.transaction() as session:
            author = broadcasts.get(session, broadcast_id).author
        try:
            publish_home(self.services.deliverer.client, self.services, author)
        except Exception:
            logger.warning("Could not refresh the Home tab of %s", author)

    def submit_due(self) -> list[int]:
        """Scheduled broadcasts whose time has come and started ones with messages left."""
        with self.services.db.transaction() as session:
            ids = broadcasts.due_ids(session, now=self.services.clock.now())
        return [i for i in ids if self.submit(i) is not None]

    def shutdown(self) -> None:
        self.stop_event.set()
        self._executor.shutdown(wait=True, cancel_futures=True)


_RUNNERS: dict[int, BroadcastRunner] = {}
_RUNNERS_LOCK = threading.Lock()


def runner_for(services: Services) -> BroadcastRunner:
    """The one runner of this app (keyed by its services object)."""
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(id(services))
        if runner is None or runner.services is not services:
            runner = _RUNNERS[id(services)] = BroadcastRunner(services)
        return runner


def flag_interrupted(services: Services) -> int:
    """Rows claimed long ago and still 'sending' belong to a dead process: flag them 'unknown'."""
    with services.db.transaction() as session:
        flagged = broadcasts.mark_interrupted(
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
    runner = runner_for(services)
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
