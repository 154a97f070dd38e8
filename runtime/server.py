"""Serving the app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP behind waitress.

waitress is a production-grade, pure-Python multi-threaded WSGI server (Bolt's App.start() is for
development only); one process with threads keeps the scheduler in one place.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from slack_bolt import App
from waitress import wasyncore
from waitress.server import TcpWSGIServer, create_server

from runtime.guard import MAX_BODY_BYTES, ParsedRequestHandler, SlackGuard

logger = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def wsgi_app(app: App, problem: Callable[[], str | None] = lambda: None):
    """/slack/events for commands and interactivity, /healthz for load balancers: 200 "ok", or
    503 with what is wrong (`problem`: e.g. the inbox process is not running)."""
    # the guard checks the signature before Bolt parses: the same secret Bolt was built with
    bolt = SlackGuard(ParsedRequestHandler(app), app._signing_secret)

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            wrong = problem()
            status = "200 OK" if wrong is None else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [(wrong or "ok").encode()]
        if path != EVENTS_PATH:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        return bolt(environ, start_response)

    return application


class HttpServer:
    """The app served over HTTP in a background thread (tests, rehearsal) or the foreground."""

    def __init__(
        self,
        app: App,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 16,
        problem: Callable[[], str | None] = lambda: None,
    ):
        server = create_server(
            wsgi_app(app, problem),
            host=host,
            port=port,
            threads=threads,
            ident="workshopbot",
            # waitress refuses a longer body (413) itself, chunked ones included, before buffering
            max_request_body_size=MAX_BODY_BYTES,
        )
        if not isinstance(server, TcpWSGIServer):
            # A host name with several addresses (e.g. "localhost": ::1 and 127.0.0.1) gives a
            # multi-socket server without one URL to report or stop; say so at start.
            server.close()
            raise ValueError(f"HOST {host!r} must resolve to one address (e.g. 0.0.0.0)")
        self._server = server
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self._server.effective_host}:{self._server.effective_port}{EVENTS_PATH}"

    def serve_forever(self) -> None:
        logger.info("Listening on %s", self.url)
        self._server.run()

    def start(self) -> HttpServer:
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; in the background case, from the serving loop's own thread.

        Closing the sockets from another thread races the loop's select() on them (EBADF in the
        server thread), and a request still finishing would then wake a closed loop. So: let the
        worker threads finish first, then ask the loop to close everything itself and end.
        """
        if self._thread is None:
            self._server.close()
            return
        self._server.task_dispatcher.shutdown()
        self._server.trigger.pull_trigger(self._close_everything)
        self._thread.join(timeout=10)

    def _close_everything(self) -> None:
        # the listening socket, the trigger and any open connections: an empty map ends the loop
        wasyncore.close_all(self._server._map)


def serve_socket_mode(app: App, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    SocketModeHandler(app, app_token).start()
