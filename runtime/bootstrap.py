"""Build the Bolt app: one WebClient (with retry handlers), the services, every listener."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

import handlers
from bot.clock import Clock, SystemClock
from bot.events.cache import EventCache
from bot.settings import Settings
from storage.db import Database
from workers.delivery import Deliverer
from workers.inbox import InboxWorker
from workers.mail import MailSender
from workers.services import Services

logger = logging.getLogger(__name__)

PROFILE_TIMEOUT_S = 1  # users.info before views.open: the trigger_id lives only ~3 s


def build_web_client(settings: Settings) -> WebClient:
    """A WebClient for SLACK_API_URL that honours 429 Retry-After and retries 5xx and timeouts."""
    return WebClient(
        token=settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(
    settings: Settings,
    db: Database,
    *,
    clock: Clock | None = None,
    client: WebClient | None = None,
    workers: int | None = None,
) -> tuple[App, Services]:
    """The app with every listener registered, and the services they share."""
    client = client or build_web_client(settings)
    clock = clock or SystemClock()
    mail = MailSender(settings) if settings.mail_enabled else None
    deliverer = Deliverer(db, client, clock, mail=mail)
    services = Services(
        settings=settings,
        db=db,
        clock=clock,
        deliverer=deliverer,
        events=EventCache(db),
        inbox=InboxWorker(db, client, deliverer, clock).start(),
        profile_client=WebClient(
            token=settings.slack_bot_token or None,
            base_url=settings.slack_api_url,
            timeout=PROFILE_TIMEOUT_S,
            retry_handlers=[],
        ),
    )
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or "unused-in-socket-mode",
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(
            max_workers=workers or settings.http_threads, thread_name_prefix="listener"
        ),
        logger=logging.getLogger("slack_bolt"),
    )

    @app.middleware
    def _inject_services(context: BoltContext, next: Callable[[], None]) -> None:  # noqa: A002
        context["services"] = services
        next()

    handlers.register(app)
    return app, services
