"""What every listener needs, handed to it through Bolt's context (no globals)."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient

from bot.clock import Clock
from bot.events.cache import EventCache
from bot.settings import Settings
from storage.db import Database
from workers.delivery import Deliverer
from workers.inbox import InboxWorker


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    deliverer: Deliverer
    events: EventCache
    inbox: InboxWorker
    profile_client: WebClient  # 1 s timeout, no retries: a trigger_id lives only ~3 s
    home_team: str | None = None  # the bot's team id (auth.test), learnt once: workers/team.py

    def close(self) -> None:
        """Stop the background threads this app started."""
        self.inbox.stop()
        self.deliverer.close()


def services_of(context: dict) -> Services:
    return context["services"]
