"""In front of Bolt: refuse what is too big unread, what is unsigned unparsed, what is malformed
with a 400 and one log line. Bolt itself reads and parses a body before it checks the signature.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable

from slack_bolt import BoltContext
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.errors import BadPayload
from runtime.payloads import check_body

logger = logging.getLogger(__name__)

# The largest request Slack sends us is a view_submission: the whole view we built echoed back
# with its state. Our largest modal (registration: ~15 blocks, every text at its max_length in
# characters that JSON- and URL-encode to 8 bytes each) is well under 256 KiB
# (tests/e2e/runtime/test_bad_input.py checks it); Slack caps a modal at 100 blocks, 3000
# characters per text input and private_metadata at 3000. 1 MiB leaves a wide margin for what
# Slack adds, and refuses a 400 MB body before a byte of it is read.
MAX_BODY_BYTES = 1024 * 1024

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]
PARSED_BODY = "workshopbot.parsed_body"  # environ key: (text, body as Bolt parses it)


def _refuse(start_response: Callable, status: str) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [status.encode()]


class SlackGuard:
    """WSGI middleware: 413 before reading, 401 before parsing, 400 if malformed."""

    def __init__(self, inner: WsgiApp, signing_secret: str, *, max_body: int = MAX_BODY_BYTES):
        self.inner = inner
        self.verifier = SignatureVerifier(signing_secret)
        self.max_body = max_body

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > self.max_body:
            logger.warning("Refused a request of %s bytes (limit %d)", length, self.max_body)
            return _refuse(start_response, "413 Payload Too Large")
        body = environ["wsgi.input"].read(length) if length else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not (
            timestamp.isdigit()  # the verifier's int() would raise on "abc"
            and self.verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        ):
            logger.warning("Refused a request without a valid Slack signature")
            return _refuse(start_response, "401 Unauthorized")
        try:
            environ[PARSED_BODY] = check_body(body, environ.get("CONTENT_TYPE", ""))
        except BadPayload as exc:
            logger.warning("Refused a malformed request from Slack: %s", exc)
            return _refuse(start_response, "400 Bad Request")
        environ["wsgi.input"] = io.BytesIO(body)
        return self.inner(environ, start_response)


class ParsedRequestHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, given the body the guard has parsed: Bolt would parse it again (for a
    view_submission, the whole modal URL-decoded and loaded from JSON a second time)."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        parsed = request.environ.get(PARSED_BODY)
        if parsed is None:
            return super().dispatch(request)
        text, body = parsed
        bolt_request = BoltRequest(
            body="", query=request.query_string, headers=request.get_headers()
        )
        bolt_request.raw_body = text  # Bolt verifies the signature of this text again
        bolt_request.body = body
        bolt_request.context = build_context(BoltContext({}), body)
        return self.app.dispatch(bolt_request)
