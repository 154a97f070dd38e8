"""The inbox worker: processes recorded submissions in arrival order, then updates the person's
modal (views.update) and sends the confirmation DM. One thread per app; kicked by the handlers
after they ack, and it sweeps what a previous process left behind when it starts."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from slack_sdk import WebClient

from bot.blocks.registration_modal import build_notice_modal
from bot.clock import Clock
from bot.i18n import t
from bot.intake import inbox
from storage.db import Database
from workers.delivery import Deliverer
from workers.load import RequestLoad

logger = logging.getLogger(__name__)
IDLE_SWEEP_S = 5.0  # also look without a kick (another instance may have recorded work)
# Acknowledgements are what Slack times; processing is not. While requests wait for their ack the
# worker waits too (they get the CPU, one GIL, and SQLite's write lock first), but never longer
# than MAX_DEFER_S; then it processes up to BATCH submissions in one transaction under one lock
# on the event. At ordinary rates nothing is in flight and it runs at once. In a rush (see
# RequestLoad.quiet) it waits the whole MAX_DEFER_S between batches: a moment with nothing in
# flight comes often there, and starting at each made batches of 2-3 whose fixed cost (the
# event's lock, the waitlist count, claims, commits) was most of the worker's CPU.
MAX_DEFER_S = 0.05
BATCH = 50
BATCH_BUDGET_S = 0.03  # a batch holds the event's lock (on SQLite: the database's) no longer
# An inbox worker in a process of its own (runtime/inbox_process.py) claims outbox rows as
# INSTANCE_ID + this: its own name, so each process resolves only what it left mid-send.
INBOX_INSTANCE_SUFFIX = "/inbox"


class InboxWorker:
    def __init__(
        self,
        db: Database,
        client: WebClient,
        deliverer: Deliverer,
        clock: Clock,
        load: RequestLoad | None = None,
    ):
        self.db = db
        self.client = client
        self.deliverer = deliverer
        self.clock = clock
        self.load = load or RequestLoad(lambda: clock.now().timestamp())
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        # the DMs of one batch go out while the next batch is processed (in batch order); the
        # batches processed while a delivery was under way go out together in the next one
        self._telling = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbox-tell")
        self._untold: list[list[inbox.Processed]] = []
        self._untold_lock = threading.Lock()

    def start(self) -> InboxWorker:
        self._thread = threading.Thread(target=self._run, name="inbox", daemon=True)
        self._thread.start()
        return self

    def kick(self) -> None:
        self._wake.set()

    def problem(self) -> str | None:
        if self._thread is None or not self._thread.is_alive():
            return "the registration inbox worker is not running"
        return None

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._telling.shutdown(wait=True)

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
                if self.load.quiet():
                    self.load.wait_idle(MAX_DEFER_S)
                else:
                    self._stopped.wait(MAX_DEFER_S)
                batch, more = self._batch(slug)
                if batch:
                    done += len(batch)
                    with self._untold_lock:
                        self._untold.append(batch)
                    self._telling.submit(self._tell_untold)
                if not more:  # (no empty transaction just to find nothing left)
                    break
        return done

    def _batch(self, slug: str) -> inbox.Batch:
        try:
            with self.db.transaction() as session:
                # on PostgreSQL the event's row lock keeps no acknowledgement waiting
                stop_at = time.monotonic() + (BATCH_BUDGET_S if self.db.is_sqlite else 60.0)
                return inbox.process_batch(
                    session,
                    slug,
                    now=self.clock.now(),
                    limit=BATCH,
                    enough=lambda: time.monotonic() > stop_at,
                )
        except Exception:  # rolled back: one at a time, counting failed attempts
            logger.exception("Failed to process a batch of submissions for %s", slug)
            processed = self._one(slug)
            return inbox.Batch([processed], more=True) if processed else inbox.Batch([], False)

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

    def _tell_untold(self) -> None:
        """Tell everyone of the batches processed so far (one delivery for all of them: when
        deliveries are slower than batches, DMs would otherwise wait in a growing queue)."""
        with self._untold_lock:
            batches, self._untold = self._untold, []
        if batches:
            self._tell(batches)

    def _tell(self, batches: list[list[inbox.Processed]]) -> None:
        try:
            self._tell_now(batches)
        except Exception:  # recorded in the outbox: the sweep sends what is still pending
            logger.exception("Failed to tell %d people their outcome", sum(map(len, batches)))

    def _tell_now(self, batches: list[list[inbox.Processed]]) -> None:
        """Send the DMs (calendar files on the deliverer's file thread: three Web API calls each).
        The outcome is shown in the person's modal when no DM tells them (a refusal, a fault) or
        when that is free: a batch of a single submission outside a rush."""
        for batch in batches:
            free = len(batch) == 1 and self.load.quiet()
            for processed in batch:
                if processed.view_id and (free or not processed.outbox_ids):
                    self._update_modal(processed)
        ids = [i for batch in batches for processed in batch for i in processed.outbox_ids]
        self.deliverer.deliver_batch(ids, files_later=True)

    def _update_modal(self, processed: inbox.Processed) -> None:
        view = build_notice_modal(t("reg.modal.title", processed.lang), processed.text)
        try:
            self.client.views_update(view_id=processed.view_id, view=view)
        except Exception:  # the modal was closed: the DM (if any) still tells them
            logger.info("Could not update view %s", processed.view_id)
