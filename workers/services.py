"""What every listener and worker needs, built once by runtime.bootstrap and handed to listeners
through Bolt's context: no module-level registries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from slack_sdk import WebClient

from bot.clock import Clock
from bot.coordination.access import CoordinatorCheck
from bot.events.cache import EventCache
from bot.settings import Settings
from storage.db import Database
from workers.broadcast_runner import BroadcastRunner
from workers.delivery import Deliverer
from workers.form_cache import EmptyForms
from workers.load import RequestLoad


class Inbox(Protocol):
    """Who processes recorded submissions: an InboxWorker in this process, or one in a process
    of its own (runtime/inbox_process.py). `load`: this process's requests in flight."""

    load: RequestLoad

    def kick(self) -> None: ...

    def stop(self) -> None: ...

    def problem(self) -> str | None:
        """What is wrong with it, for /healthz; None when it runs."""
        ...


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    client: WebClient  # the app's Web client (with retry handlers)
    deliverer: Deliverer
    events: EventCache
    inbox: Inbox
    broadcasts: BroadcastRunner  # the one broadcast runner of this app
    coordinators: CoordinatorCheck  # user groups resolved with a 1 s timeout, cached briefly
    profile_client: WebClient  # 1 s timeout, no retries: a trigger_id lives only ~3 s
    home_team: str | None = None  # the bot's team id (auth.test), learnt once: workers/team.py
    forms: EmptyForms = field(default_factory=EmptyForms)  # the empty form, built once

    def close(self) -> None:
        """Stop the background threads this app started."""
        self.inbox.stop()
        self.broadcasts.shutdown()
        self.deliverer.close()


def services_of(context: dict) -> Services:
    return context["services"]
