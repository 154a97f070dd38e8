"""Sends recorded outbox messages through the Web API, each exactly once.

A message is claimed (pending -> sending) in its own transaction before the call, so two senders
never both send it. Rate limits (429) and 5xx are retried by slack_sdk's retry handlers inside the
client; what still fails is recorded with Slack's error code for the coordinators to see.

At most once: a crash between the claim and recording the result leaves the row 'sending'; at the
next start it becomes 'unknown' (outbox.mark_interrupted) and is never re-sent, because Slack may
already have shown it. A reminder lost that way is better than one posted twice.

`not_in_channel` is answered by joining the (public) channel and trying once more. A permanent
error is reported by DM to the event's coordinators, once per event, error and channel.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot import outbox
from bot.clock import Clock
from bot.mail.messages import build_email
from bot.mail.recipients import mail_recipient
from bot.schedule.faults import report_fault
from storage.db import Database
from storage.models import OutboxMessage, OutboxStatus
from workers.mail import MailRefused, MailSender

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
# What Slack answers when the bot may not DM a person (someone of another organisation in a
# Slack Connect channel): conversations.open documents invalid_user_combination ("All external
# people must already be in at least one channel together"); chat.postMessage to a user id it
# cannot open answers channel_not_found. Such a person who registered with an e-mail address
# is sent the message by e-mail instead (workers/mail.py).
DM_REFUSED = frozenset(
    {"invalid_user_combination", "channel_not_found", "user_not_found", "cannot_dm_bot",
     "not_allowed_token_type", "restricted_action"}
)  # fmt: skip
RETRY_DELAY = timedelta(minutes=1)
FILE_KINDS = ("calendar",)  # sent as file uploads (see deliver(files_later=True))
MAX_ATTEMPTS = 5


class Deliverer:
    """Delivers outbox messages with one WebClient."""

    def __init__(
        self,
        db: Database,
        client: WebClient,
        clock: Clock,
        *,
        workers: int = 4,
        mail: MailSender | None = None,
    ):
        self.db = db
        self.client = client
        self.clock = clock
        self.mail = mail
        self._dm_channels: dict[str, str] = {}  # user id -> DM channel id (conversations.open)
        self._later: queue.Queue[list[int] | None] = queue.Queue()
        self._later_lock = threading.Lock()
        self._later_thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="deliver")

    def deliver(self, message_ids: list[int], *, files_later: bool = False) -> int:
        """Send these messages if still pending and due; returns how many went out.

        Messages to different channels (a fan-out of DMs) go out in parallel; those to one
        channel keep their order, one after another. files_later: file uploads (calendar
        invitations: three Web API calls each) go to a background thread so they never hold
        up the caller (the inbox worker in a deadline rush); they are not counted.
        """
        if len(message_ids) <= 1:
            return self._send_in_order(message_ids)
        with self.db.transaction() as session:
            rows = session.execute(
                select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.kind).where(
                    OutboxMessage.id.in_(message_ids)
                )
            ).all()
        channel_of = {message_id: channel for message_id, channel, _ in rows}
        if files_later:
            later = {message_id for message_id, _, kind in rows if kind in FILE_KINDS}
            if later:
                self._later.put([i for i in message_ids if i in later])
                self._start_later()
                message_ids = [i for i in message_ids if i not in later]
        queues: dict[str, list[int]] = {}
        for message_id in message_ids:
            queues.setdefault(channel_of.get(message_id, ""), []).append(message_id)
        if len(queues) == 1:
            return self._send_in_order(message_ids)
        futures = [self._pool.submit(self._send_in_order, ids) for ids in queues.values()]
        return sum(future.result() for future in futures)

    def _start_later(self) -> None:
        with self._later_lock:
            if self._later_thread is None:
                self._later_thread = threading.Thread(
                    target=self._send_later, name="deliver-files", daemon=True
                )
                self._later_thread.start()

    def close(self, timeout: float = 5.0) -> None:
        """Let the file thread finish what it was given (it stays recorded if not)."""
        with self._later_lock:
            thread, self._later_thread = self._later_thread, None
        if thread is not None:
            self._later.put(None)
            thread.join(timeout)

    def _send_later(self) -> None:
        while (message_ids := self._later.get()) is not None:
            try:
                for message_id in message_ids:  # one thread: uploads never crowd the DMs
                    self._send_in_order([message_id])
            except Exception:
                logger.exception("Failed to deliver files %s", message_ids)

    def _send_in_order(self, message_ids: list[int]) -> int:
        """Send one after another; recording a send shares a transaction with the next claim."""
        sent, unrecorded = 0, None
        for message_id in message_ids:
            with self.db.transaction() as session:
                if unrecorded is not None:
                    self._record_sent(session, *unrecorded)
                    unrecorded = None
                message = outbox.claim(session, message_id, now=self.clock.now())
                if message is None:
                    continue
                claimed = (message.channel, message.text, message.blocks, message.attempts,
                           message.attachment, message.key, message.event_id)  # fmt: skip
            ts = self._attempt(message_id, *claimed)
            if ts is not None:
                unrecorded, sent = (message_id, ts), sent + 1
        if unrecorded is not None:
            with self.db.transaction() as session:
                self._record_sent(session, *unrecorded)
        return sent

    def deliver_due(self, limit: int = 500) -> int:
        with self.db.transaction() as session:
            ids = outbox.due_ids(session, now=self.clock.now(), limit=limit)
        return self.deliver(ids)

    def _attempt(
        self,
        message_id: int,
        channel: str,
        text: str,
        blocks: list | None,
        attempts: int,
        attachment: dict | None = None,
        key: str = "",
        event_id: int | None = None,
    ) -> str | None:
        """One send of a claimed message; Slack's ts, or None when it failed (recorded)."""
        try:
            if attachment:
                return self._upload(channel, text, attachment)
            response = self._post(channel, text, blocks)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
            if error in DM_REFUSED and channel[:1] in ("U", "W") and self.mail is not None:
                return self._by_mail(message_id, channel, text, attachment, key, event_id,
                                     attempts, error)  # fmt: skip
            self._failed(message_id, error, attempts)
            return None
        except Exception as exc:  # network trouble after the client's own retries
            logger.warning("Sending outbox message %s failed: %s", message_id, exc)
            self._failed(message_id, type(exc).__name__, attempts)
            return None
        return str(response.get("ts") or "")

    def _record_sent(self, session, message_id: int, ts: str) -> None:  # type: ignore[no-untyped-def]
        outbox.mark_sent(session, message_id, now=self.clock.now(), slack_ts=ts)

    def _by_mail(
        self,
        message_id: int,
        user_id: str,
        text: str,
        attachment: dict | None,
        key: str,
        event_id: int | None,
        attempts: int,
        slack_error: str,
    ) -> str | None:
        """Slack will not DM this person: e-mail them at their registered address."""
        assert self.mail is not None
        with self.db.read() as session:
            recipient = mail_recipient(session, event_id=event_id, user_id=user_id)
        if recipient is None:  # no address: as undeliverable as the DM was
            self._failed(message_id, f"{slack_error}_no_email", attempts)
            return None
        message = build_email(
            to=recipient.email, sender=self.mail.sender, sender_name=recipient.contact_name,
            subject=recipient.event_title, text=text, key=key, attachment=attachment,
        )  # fmt: skip
        try:
            self.mail.send(message)
        except MailRefused as exc:
            self._failed(message_id, str(exc), MAX_ATTEMPTS)
            return None
        except Exception as exc:  # the server away, a 4xx: try again later
            logger.warning("Mailing outbox message %s failed: %s", message_id, exc)
            self._failed(message_id, f"smtp_{type(exc).__name__}", attempts)
            return None
        return f"mail:{message['Message-ID']}"[:40]

    def _upload(self, channel: str, text: str, attachment: dict) -> str:
        """A file (a calendar invitation) with text as its comment; DMs are opened first."""
        if channel[:1] in ("U", "W"):
            user_id = channel
            channel = self._dm_channels.get(user_id) or str(
                self.client.conversations_open(users=user_id)["channel"]["id"]
            )
            self._dm_channels[user_id] = channel
        response = self.client.files_upload_v2(
            channel=channel,
            content=attachment["content"].encode("utf-8"),
            filename=attachment["filename"],
            title=attachment.get("title") or attachment["filename"],
            initial_comment=text,
        )
        file = response.get("file") or {}
        return str(file.get("id") or "uploaded")

    def _post(self, channel: str, text: str, blocks: list | None):  # type: ignore[no-untyped-def]
        try:
            return self.client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, unfurl_links=False
            )
        except SlackApiError as exc:
            if exc.response.get("error") != "not_in_channel":
                raise
        logger.info("Joining %s to post there", channel)
        self.client.conversations_join(channel=channel)
        return self.client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False
        )

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
            report_ids = report_fault(session, message_id, error, now=now) if permanent else []
        self._send_in_order(report_ids)  # not through the pool: this may run on a pool thread
