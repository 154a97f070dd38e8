"""The registration inbox in a process of its own: `serve` on a machine with more than one core.

One Python process runs on one core at a time (one GIL). In a deadline rush the acknowledgements
(waitress and Bolt's listeners) and the inbox worker (the registration rules, the DMs, the calendar
files) took turns on it, so each waited for the other. Here the inbox worker runs in a child
process with its own database connections, Web API client and deliverer: the app's process
answers Slack, the child registers and confirms, each on a core.

The child is `python -m runtime.inbox_process`; its standard input is the link. The app writes
the settings (and clock) first, then one byte per kick; the child answers "ready" on its standard
output once its worker runs. When the app's process ends, or stops it, the child reads the end
of its input and stops its worker. The child sweeps what is pending when it starts, so a kick
lost with a dead child is not a submission lost: the app starts a new child when one dies. The
outbox claims of the child are recorded under an instance name of its own (INSTANCE_SUFFIX),
resolved like the app's own when a child starts (workers/recovery.py).
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
from pathlib import Path
from typing import IO, ClassVar

from bot.clock import Clock, SystemClock
from bot.settings import LOG_FORMAT, Settings
from runtime.web_client import build_web_client
from storage.db import Database
from workers.delivery import Deliverer
from workers.inbox import InboxWorker
from workers.load import RUSH_PER_S, RequestLoad
from workers.mail import MailSender
from workers.recovery import resolve_interrupted

logger = logging.getLogger(__name__)

INSTANCE_SUFFIX = "/inbox"
READY = b"ready\n"
KICK = b"k"
RESTART_DELAY_S = 1.0  # before a dead child is replaced (a crash loop logs once a second)
STOP_TIMEOUT_S = 10.0
ROOT = Path(__file__).resolve().parent.parent


class InboxProcess:
    """The app's side: kick() wakes the child; `load` counts this process's requests in flight
    (the handlers' own look at the load, as with the worker in the same process)."""

    module: ClassVar[str] = __name__  # what the child runs (`python -m`)

    def __init__(self, settings: Settings, clock: Clock | None = None):
        self.settings = settings
        self.clock = clock or SystemClock()
        self.load = RequestLoad(lambda: self.clock.now().timestamp())
        self._child: subprocess.Popen[bytes] | None = None
        self._writing = threading.Lock()  # kicks come from many request threads
        self._ready = threading.Event()
        self._stopping = threading.Event()
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
            env=env, cwd=os.getcwd(),
        )  # fmt: skip
        assert child.stdin is not None
        config = pickle.dumps((self.settings, self.clock))
        child.stdin.write(struct.pack("!I", len(config)) + config)
        child.stdin.flush()
        with self._writing:
            self._ready.clear()
            self._child = child

    def _supervise(self) -> None:
        while True:
            child = self._child
            assert child is not None and child.stdout is not None
            if child.stdout.readline() == READY:
                self._ready.set()
                child.stdout.read()  # until the child ends
            code = child.wait()
            if self._stopping.is_set():
                return
            logger.error("The inbox process ended (exit code %s); starting a new one", code)
            if self._stopping.wait(RESTART_DELAY_S):
                return
            self._spawn()

    def kick(self) -> None:
        with self._writing:
            if self._child is None or self._child.stdin is None:
                return
            # a child that ended: the next one sweeps the inbox when it starts
            with contextlib.suppress(BrokenPipeError, ValueError):
                self._child.stdin.write(KICK)
                self._child.stdin.flush()

    def stop(self) -> None:
        self._stopping.set()
        with self._writing:
            child = self._child
            if child is not None and child.stdin is not None:
                with contextlib.suppress(BrokenPipeError):
                    child.stdin.close()  # the child stops at the end of its input
        if child is None:
            return
        try:
            child.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            logger.warning("The inbox process did not stop in time; terminating it")
            child.terminate()
            child.wait(STOP_TIMEOUT_S)
        if self._supervisor is not None:
            self._supervisor.join(STOP_TIMEOUT_S)


def _read_config(stream: IO[bytes]) -> tuple[Settings, Clock]:
    (length,) = struct.unpack("!I", stream.read(4))
    settings, clock = pickle.loads(stream.read(length))  # from the app that started us
    return settings, clock


def main() -> None:
    """The child: an inbox worker with its own connections, woken by the app's kicks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the app stops us
    settings, clock = _read_config(sys.stdin.buffer)
    logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)
    db = Database(settings.database_url)
    client = build_web_client(settings)
    mail = MailSender(settings) if settings.mail_enabled else None
    deliverer = Deliverer(db, client, clock, instance=settings.instance_id + INSTANCE_SUFFIX,
                          mail=mail)  # fmt: skip
    try:
        resolve_interrupted(db, deliverer, clock)
    except Exception:
        logger.exception("Failed to resolve the messages the last inbox process left mid-send")
    load = RequestLoad()  # arrivals are the kicks: a rush paces the worker as in one process
    worker = InboxWorker(db, client, deliverer, clock, load=load).start()
    sys.stdout.buffer.write(READY)
    sys.stdout.buffer.flush()
    logger.info("The inbox process (pid %d) is ready", os.getpid())
    try:
        while kicks := os.read(sys.stdin.fileno(), 4096):  # empty: the app stopped or ended
            for _ in range(min(len(kicks), RUSH_PER_S)):
                load.arrived()
            worker.kick()
    finally:
        worker.stop()
        deliverer.close()
        db.dispose()


if __name__ == "__main__":
    main()
