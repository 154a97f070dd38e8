"""An HTTP server that answers each connection on one of a few reused threads.

http.server's ThreadingHTTPServer starts a thread per connection, and slack_sdk opens a connection
per Web API call: the rehearsal makes about 1,700 calls, and a thread start and exit each is CPU
the rehearsal's own process pays for (one GIL, beside the app it rehearses). Here a connection
waits in a queue for a worker; a new worker (a daemon thread, like ThreadingHTTPServer's) is
started only when every worker is busy, up to MAX_WORKERS (a Socket Mode WebSocket holds one for
as long as it is open)."""

from __future__ import annotations

import queue
import socket
import threading
from http.server import ThreadingHTTPServer
from typing import Any

MAX_WORKERS = 64


class PooledHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver listens with a backlog of 5: a burst of new connections (a client that opens
    # one per call, as slack_sdk does) overflowed it and the dropped SYN came back a second
    # later. Slack's own servers take the burst.
    request_queue_size = 128

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._waiting: queue.SimpleQueue[tuple[socket.socket, Any]] = queue.SimpleQueue()
        self._count_lock = threading.Lock()
        self._workers = 0
        self._busy = 0  # connections handed over and not yet answered

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._count_lock:
            self._busy += 1
            start = self._busy > self._workers and self._workers < MAX_WORKERS
            if start:
                self._workers += 1
        self._waiting.put((request, client_address))
        if start:
            threading.Thread(target=self._work, name="standin-http", daemon=True).start()

    def _work(self) -> None:
        while True:
            request, client_address = self._waiting.get()
            try:
                self.process_request_thread(request, client_address)  # answers, then closes
            finally:
                with self._count_lock:
                    self._busy -= 1
