"""The long-running process: the app, its background work, and Socket Mode or HTTP."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable

from slack_bolt import App

from bot.clock import Clock
from bot.settings import Settings
from runtime.bootstrap import build_app
from runtime.inbox_process import InboxProcess
from runtime.server import HttpServer, serve_socket_mode
from storage.db import Database
from workers import recovery, scheduler
from workers.broadcast_runner import start_poller
from workers.services import Services

logger = logging.getLogger(__name__)

# One process, one GIL: while a worker thread (the inbox's, when it runs in this process; the
# scheduler's) computes, a request thread coming back from I/O (its socket, the database) waits up
# to the switch interval (5 ms by default) for the GIL, at each of the ~10 I/O points of a request.
# A shorter interval keeps acknowledgements quick. It is a process-wide setting, so the process
# sets it (here), not build_app.
SWITCH_INTERVAL_S = 0.001

# Background workers (scheduler, outbox sweeper, ...) start here: start(services) -> stop().
# recovery first: it resolves this instance's rows from before the restart, before more are sent.
BACKGROUND: list[Callable[[Services], Callable[[], None]]] = [
    recovery.start,
    scheduler.start,
    start_poller,
]


def _stop_on_sigterm() -> None:
    """A container stop (SIGTERM) shuts down like Ctrl-C: running jobs finish their sends."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def build_served_app(
    settings: Settings, db: Database, *, clock: Clock | None = None, workers: int | None = None
) -> tuple[App, Services]:
    """The app as `serve` runs it: its inbox in a process of its own when settings.inbox_process
    (runtime/inbox_process.py). The deadline-rush benchmark builds it here too."""
    inbox = InboxProcess(settings, clock).start() if settings.inbox_process else None
    try:
        return build_app(settings, db, clock=clock, workers=workers, inbox=inbox)
    except BaseException:
        if inbox is not None:
            inbox.stop()
        raise


def run(settings: Settings, db: Database) -> int:
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app, services = build_served_app(settings, db)
    _stop_on_sigterm()
    stops = [start(services) for start in BACKGROUND]
    try:
        if settings.socket_mode:
            logger.info("Starting in Socket Mode")
            serve_socket_mode(app, settings.slack_app_token)
        else:
            server = HttpServer(
                app,
                host=settings.host,
                port=settings.port,
                threads=settings.http_threads,
                problem=services.inbox.problem,  # /healthz answers 503 while it is down
            )
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for stop in stops:
            stop()
        services.close()
    return 0
