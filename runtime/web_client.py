"""The app's Web API client: SLACK_API_URL, kept-alive connections, Slack's retry handlers.
Used by the app's process and by its inbox process (which imports nothing of Bolt's)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings
from runtime.keepalive import KeepAliveWebClient


def quiet_sdk_debug() -> None:
    """slack_sdk's WebClient formats a debug line with each request's and response's whole
    body (a modal: 10 KB of dict repr) whenever its logger's own level is unset: it tests
    `logger.level <= DEBUG`, not whether DEBUG is enabled. In a rush that was a quarter of the
    CPU of every views.open. Set that logger's level from what is enabled now (DEBUG stays
    DEBUG; Bolt's per-request clients use the same logger)."""
    sdk = logging.getLogger("slack_sdk.web.base_client")
    if sdk.level == logging.NOTSET:
        sdk.setLevel(logging.DEBUG if sdk.isEnabledFor(logging.DEBUG) else logging.INFO)


def build_web_client(settings: Settings) -> WebClient:
    """A WebClient for SLACK_API_URL that honours 429 Retry-After and retries 5xx and timeouts."""
    quiet_sdk_debug()
    return KeepAliveWebClient(
        token=settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )
