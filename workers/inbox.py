"""The inbox worker: processes recorded submissions in arrival order, then updates the person's
modal (views.update) and sends the confirmation DM. One thread per app; kicked by the handlers
after they ack, and it sweeps what a previous process left behind when it starts."""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient

from bot.blocks.registration_modal import build_notice_modal
from bot.clock import Clock
from bot.i18n import t
from bot.intake import inbox
from storage.db import Database
from workers.delivery import Deliverer

logger = logging.getLogger(__name__)
IDLE_SWEEP_S = 5.0  # also look without a kick (another instance may have recorded work)
# Acknowledgements are what Slack times; processing is not. During a burst (acks arriving less
# than QUIET_S apart) the worker waits before each item so they get the CPU (and, on SQLite, the
# write lock) first, but never holds an item back longer than MAX_DEFER_S. Outside a burst it
# processes at once.
QUIET_S = 0.02
MAX_DEFER_S = 0.5


class InboxWorker:
    def __init__(self, db: Database, client: WebClient, deliverer: Deliverer, clock: Clock):
        self.db = db
        self.client = client
        self.deliverer = deliverer
        self.clock = clock
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_kick = 0.0
        self._gap = float("inf")  # between the last two kicks

    def start(self) -> InboxWorker:
        self._thread = threading.Thread(target=self._run, name="inbox", daemon=True)
        self._thread.start()
        return self

    def kick(self) -> None:
        now = time.monotonic()
        self._gap, self._last_kick = now - self._last_kick, now
        self._wake.set()

    def _in_burst(self) -> bool:
        return self._gap < QUIET_S and time.monotonic() - self._last_kick < QUIET_S

    def _yield_to_acks(self) -> None:
        give_up = time.monotonic() + MAX_DEFER_S
        while self._in_burst() and time.monotonic() < give_up:
            time.sleep(0.005)

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                self.drain()
            except Exception:
                logger.exception("Failed to drain the registration inbox")
            self._wake.wait(IDLE_SWEEP_S)
            self._wake.clear()

    def drain(self) -> int:
        """Process every pending submission; returns how many were processed."""
        done = 0
        with self.db.read() as session:
            slugs = inbox.pending_slugs(session)
        for slug in slugs:
            while not self._stopped.is_set():
                self._yield_to_acks()
                processed = self._one(slug)
                if processed is None:
                    break
                done += 1
                self._tell(processed)
        return done

    def _one(self, slug: str) -> inbox.Processed | None:
        try:
            with self.db.transaction() as session:
                return inbox.process_next(session, slug, now=self.clock.now())
        except Exception as exc:  # rolled back; count the attempt so the queue cannot stall
            logger.exception("Failed to process a submission for %s", slug)
            with self.db.transaction() as session:
                failed = inbox.record_failure(
                    session, slug, error=type(exc).__name__, now=self.clock.now()
                )
            if failed is None:  # try again (a later attempt may succeed)
                return self._one_more(slug)
            return failed

    def _one_more(self, slug: str) -> inbox.Processed | None:
        with self.db.read() as session:
            still_pending = slug in inbox.pending_slugs(session)
        return self._one(slug) if still_pending else None

    def _tell(self, processed: inbox.Processed) -> None:
        """Show the outcome in the person's modal (if still open), then send the DMs."""
        if processed.view_id:
            view = build_notice_modal(t("reg.modal.title", processed.lang), processed.text)
            try:
                self.client.views_update(view_id=processed.view_id, view=view)
            except Exception:  # the modal was closed: the DM still tells them
                logger.info("Could not update view %s", processed.view_id)
        self.deliverer.deliver(processed.outbox_ids, files_later=True)
