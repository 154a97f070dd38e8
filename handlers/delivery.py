"""Sends recorded outbox messages through the Web API, each exactly once.

A message is claimed (pending -> sending) in its own transaction before the call, so two senders
never both send it. Rate limits (429) and 5xx are retried by slack_sdk's retry handlers inside the
client; what still fails is recorded with Slack's error code for the coordinators to see.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import outbox
from bot.clock import Clock
from storage.db import Database
from storage.models import OutboxStatus

logger = logging.getLogger(__name__)

# Errors that will not go away by trying again.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "cannot_dm_bot",
        "user_disabled",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
        "restricted_action",
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "missing_scope",
    }
)
RETRY_DELAY = timedelta(minutes=1)
MAX_ATTEMPTS = 5


class Deliverer:
    """Delivers outbox messages with one WebClient."""

    def __init__(self, db: Database, client: WebClient, clock: Clock):
        self.db = db
        self.client = client
        self.clock = clock

    def deliver(self, message_ids: list[int]) -> int:
        """Send these messages if still pending and due; returns how many went out."""
        return sum(1 for message_id in message_ids if self._send_one(message_id))

    def deliver_due(self, limit: int = 500) -> int:
        with self.db.transaction() as session:
            ids = outbox.due_ids(session, now=self.clock.now(), limit=limit)
        return self.deliver(ids)

    def _send_one(self, message_id: int) -> bool:
        with self.db.transaction() as session:
            message = outbox.claim(session, message_id, now=self.clock.now())
            if message is None:
                return False
            channel, text, blocks = message.channel, message.text, message.blocks
            attempts = message.attempts
        try:
            response = self.client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, unfurl_links=False
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
            self._failed(message_id, error, attempts)
            return False
        except Exception as exc:  # network trouble after the client's own retries
            logger.warning("Sending outbox message %s failed: %s", message_id, exc)
            self._failed(message_id, type(exc).__name__, attempts)
            return False
        with self.db.transaction() as session:
            outbox.finish(
                session,
                message_id,
                status=OutboxStatus.SENT,
                now=self.clock.now(),
                slack_ts=response.get("ts"),
            )
        return True

    def _failed(self, message_id: int, error: str, attempts: int) -> None:
        now = self.clock.now()
        permanent = error in PERMANENT_ERRORS or attempts >= MAX_ATTEMPTS
        logger.warning(
            "Outbox message %s: %s (%s)",
            message_id,
            error,
            "giving up" if permanent else "will retry",
        )
        with self.db.transaction() as session:
            outbox.finish(
                session,
                message_id,
                status=OutboxStatus.FAILED,
                now=now,
                error=error[:200],
                retry_at=None if permanent else now + RETRY_DELAY * attempts,
            )
