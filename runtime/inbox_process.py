"""The registration inbox in a process of its own: `serve` on a machine with more than one core.

One Python process runs on one core at a time (one GIL). In a deadline rush the acknowledgements
(waitress and Bolt's listeners) and the inbox worker (the registration rules, the DMs, the calendar
files) took turns on it, so each waited for the other. Here the inbox worker runs in a child
process with its own database connections, Web API client and deliverer: the app's process
answers Slack, the child registers and confirms, each on a core (on SQLite they still take turns
on the database's write lock; a batch holds it at most BATCH_BUDGET_S).

The child is `python -m runtime.inbox_process`, in a process group of its own (a Ctrl-C in the
terminal reaches the app only; the app stops the child). Its standard input is the link: the app
writes the settings (and clock) first, then one byte per kick, and closes it to stop the child;
when the app's process dies the child reads the end of its input just the same. The child
answers "ready" once its worker runs, on its own copy of standard output (its standard output
itself goes to standard error, so a stray print cannot block it). It sweeps what is pending when
it starts, so a kick lost with a dead child is not a submission lost: the app starts a new child
when one ends (waiting longer after each failure, up to MAX_RESTART_DELAY_S). The outbox claims of
the child are recorded under an instance name of its own (INBOX_INSTANCE_SUFFIX), resolved when a
child starts and when the app starts (workers/recovery.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

from bot.clock import Clock, SystemClock
from bot.settings import Settings
from runtime.web_client import build_web_client
from storage.db import Database
from workers.delivery import Deliverer
from workers.inbox import INBOX_INSTANCE_SUFFIX, InboxWorker
from workers.load import RUSH_PER_S, RequestLoad
from workers.mail import MailSender
from workers.recovery import resolve_interrupted

logger = logging.getLogger(__name__)

READY = b"ready\n"
KICK = b"k"
RESTART_DELAY_S = 1.0  # before a child that ended is replaced; doubled after each quick failure
MAX_RESTART_DELAY_S = 30.0
STOP_TIMEOUT_S = 10.0  # for the child to finish its batch and sends, then it is killed
# /healthz reports the inbox down only once no child has been ready for this long: a routine
# restart (RESTART_DELAY_S and a second of imports) is no reason to take the app out of service
HEALTH_GRACE_S = 10.0
ROOT = Path(__file__).resolve().parent.parent


class InboxProcess:
    """The app's side: kick() wakes the child; `load` counts this process's requests in flight
    (the handlers' own look at the load, as with the worker in the same process)."""

    module: ClassVar[str] = __name__  # what the child runs (`python -m`; the benchmark wraps it)

    def __init__(self, settings: Settings, clock: Clock | None = None):
        self.settings = settings
        self.clock = clock or SystemClock()
        self.load = RequestLoad(lambda: self.clock.now().timestamp())
        self._child: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()  # kicks come from many request threads; stop() swaps
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._down_since: float | None = None  # when the last ready child ended (monotonic)
        self._supervisor: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    def start(self) -> InboxProcess:
        self._spawn()
        self._supervisor = threading.Thread(
            target=self._supervise, name="inbox-process", daemon=True
        )
        self._supervisor.start()
        return self

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the child runs its worker (it imports the app's domain first: a second)."""
        return self._ready.wait(timeout)

    def _spawn(self) -> None:
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *([path] if path else [])])}
        child = subprocess.Popen(
            [sys.executable, "-m", self.module], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env=env, process_group=0,
        )  # fmt: skip
        assert child.stdin is not None
        config = pickle.dumps((self.settings.model_dump_json(), self.clock))
        try:
            child.stdin.write(struct.pack("!I", len(config)) + config)
            child.stdin.flush()
        except OSError:  # it died at once: the supervisor sees it end
            pass
        # a kick must never wait for a child that stopped reading: a full pipe already wakes it
        os.set_blocking(child.stdin.fileno(), False)
        with self._lock:
            self._ready.clear()
            self._child = child
            if self._stopping.is_set():  # stop() came meanwhile: this one stops at once
                _close(child)

    def _supervise(self) -> None:
        delay = RESTART_DELAY_S
        while True:
            try:
                if self._watch(self._child):
                    delay = RESTART_DELAY_S  # it started well: the next failure waits little
            except Exception:  # never leave the inbox without a supervisor
                logger.exception("Lost track of the inbox process; starting a new one")
            while True:
                if self._stopping.wait(delay):
                    return
                delay = min(delay * 2, MAX_RESTART_DELAY_S)
                try:
                    self._spawn()
                    break
                except Exception:  # e.g. out of processes: try again, later
                    logger.exception("Could not start the inbox process")

    def _watch(self, child: subprocess.Popen[bytes] | None) -> bool:
        """Until this child ends; whether it got as far as ready."""
        if child is None or child.stdout is None:
            return False
        ready = False
        for line in child.stdout:  # "ready" (anything else is not ours), then its end
            if line == READY and not ready:
                ready = True
                self._down_since = None
                self._ready.set()
        code = child.wait()
        if self._down_since is None:
            self._down_since = time.monotonic()
        child.stdout.close()
        with self._lock:
            self._ready.clear()
            _close(child)
        if not self._stopping.is_set():
            logger.error("The inbox process ended (exit code %s); starting a new one", code)
        return ready

    def problem(self) -> str | None:
        down = self._down_since
        if down is not None and time.monotonic() - down > HEALTH_GRACE_S:
            return "the registration inbox process has not run for a while (restarting it)"
        return None

    def kick(self) -> None:
        with self._lock:
            if self._child is None or self._child.stdin is None or self._child.stdin.closed:
                return
            # ended (the next child sweeps the inbox when it starts) or full (it will wake)
            with contextlib.suppress(OSError):
                os.write(self._child.stdin.fileno(), KICK)

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            if self._child is not None:
                _close(self._child)  # the child stops at the end of its input
        if self._supervisor is not None:
            self._supervisor.join(STOP_TIMEOUT_S)
        child = self._child
        if child is not None and child.poll() is None:
            logger.warning("The inbox process did not stop in time; killing it")
            child.kill()
            child.wait()
        if self._supervisor is not None:
            self._supervisor.join(STOP_TIMEOUT_S)


def _close(child: subprocess.Popen[bytes]) -> None:
    if child.stdin is not None:
        with contextlib.suppress(OSError):
            child.stdin.close()


def _read_config(fd: int) -> tuple[Settings, Clock]:
    def exactly(count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = os.read(fd, count - len(data))  # not buffered: kicks stay in the pipe
            if not chunk:
                raise SystemExit("the app closed the inbox process's input before its settings")
            data += chunk
        return data

    (length,) = struct.unpack("!I", exactly(4))
    settings_json, clock = pickle.loads(exactly(length))  # from the app that started us
    return Settings.model_validate_json(settings_json), clock


def main() -> None:
    """The child: an inbox worker with its own connections, woken by the app's kicks."""
    # the app stops us by closing our input; a signal to the whole group would cut sends short
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    settings, clock = _read_config(sys.stdin.fileno())
    logging.basicConfig(
        level=settings.log_level,
        format=f"%(asctime)s %(levelname)s inbox-process[{os.getpid()}] %(name)s: %(message)s",
    )
    db = Database(settings.database_url)
    client = build_web_client(settings)
    mail = MailSender(settings) if settings.mail_enabled else None
    deliverer = Deliverer(db, client, clock, instance=settings.instance_id + INBOX_INSTANCE_SUFFIX,
                          mail=mail)  # fmt: skip
    load = RequestLoad()  # arrivals are the kicks: a rush paces the worker as in one process
    worker = InboxWorker(db, client, deliverer, clock, load=load).start()
    with contextlib.suppress(OSError):  # the app gone meanwhile: the relay finds its end
        os.write(ready, READY)
    os.close(ready)
    logger.info("Ready")
    try:
        resolve_interrupted(db, deliverer, clock)  # what a child before us left mid-send
    except Exception:
        logger.exception("Failed to resolve the messages the last inbox process left mid-send")
    try:
        relay(sys.stdin.fileno(), load, worker)
    finally:
        worker.stop()
        deliverer.close()
        db.dispose()


def relay(fd: int, load: RequestLoad, worker: InboxWorker) -> None:
    """Wake the worker for each read of kicks (each byte one arrival) until the end of input."""
    while kicks := os.read(fd, 4096):
        for _ in range(min(len(kicks), RUSH_PER_S)):
            load.arrived()
        worker.kick()


if __name__ == "__main__":
    main()
