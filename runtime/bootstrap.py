"""Build the Bolt app: one WebClient (with retry handlers), the services, every listener."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient

import handlers
from bot.clock import Clock, SystemClock
from bot.coordination.settings import BroadcastSettings
from bot.errors import BadPayload
from bot.events.cache import EventCache
from bot.settings import Settings
from runtime.keepalive import KeepAliveWebClient
from runtime.prompt_ack import answer_promptly
from runtime.web_client import build_web_client, quiet_sdk_debug
from storage.db import Database
from workers.broadcast_runner import BroadcastRunner
from workers.coordinators import build_coordinator_check
from workers.delivery import Deliverer
from workers.home import refresh_author_home
from workers.inbox import InboxWorker
from workers.mail import MailSender
from workers.services import Inbox, Services

logger = logging.getLogger(__name__)

PROFILE_TIMEOUT_S = 1  # users.info before views.open: the trigger_id lives only ~3 s


def build_app(
    settings: Settings,
    db: Database,
    *,
    clock: Clock | None = None,
    client: WebClient | None = None,
    workers: int | None = None,
    inbox: Inbox | None = None,
) -> tuple[App, Services]:
    """The app with every listener registered, and the services they share. `inbox`: who
    processes the submissions (default: a worker thread in this process)."""
    quiet_sdk_debug()  # also for a client given by the caller
    client = client or build_web_client(settings)
    clock = clock or SystemClock()
    mail = MailSender(settings) if settings.mail_enabled else None
    deliverer = Deliverer(db, client, clock, instance=settings.instance_id, mail=mail)
    runner = BroadcastRunner(
        db, client, clock, BroadcastSettings.of(settings),
        on_sent=lambda broadcast_id: refresh_author_home(services, broadcast_id),
        instance=settings.instance_id, mail=mail,
    )  # fmt: skip
    services = Services(
        settings=settings,
        db=db,
        clock=clock,
        client=client,
        deliverer=deliverer,
        events=EventCache(db),
        inbox=inbox or InboxWorker(db, client, deliverer, clock).start(),
        broadcasts=runner,
        coordinators=build_coordinator_check(client),
        profile_client=KeepAliveWebClient(
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
    answer_promptly(app)  # no 10 ms polling for each ack (runtime/prompt_ack.py)

    @app.middleware
    def _inject_services(context: BoltContext, next: Callable[[], None]) -> None:  # noqa: A002
        context["services"] = services
        with services.inbox.load.request():  # until acknowledged (Bolt returns at the ack)
            next()

    app.error(_handle_error)
    handlers.register(app)
    return app, services


def _handle_error(error: Exception, logger: logging.Logger, response: BoltResponse | None):
    """A BadPayload (a shape Slack never sends) is a 400 and one line; anything else a traceback."""
    if isinstance(error, BadPayload):
        logger.warning("Refused a malformed request from Slack: %s", error)
        # None once the listener has acked: Slack already has its answer
        return BoltResponse(status=400, body="") if response is not None else None
    logger.exception("Failed to handle a request from Slack: %s", error)
    return None
