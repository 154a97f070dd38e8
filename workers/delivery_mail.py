"""The outbox's other two ways out, mixed into the Deliverer: a file upload (a calendar
invitation, with its text as the comment) and an e-mail to a person Slack will not let the bot DM
(someone of another organisation who registered with an address; workers/mail.py). File uploads
can also go on a thread of their own (deliver(files_later=True)), off the inbox worker's way."""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any

from slack_sdk import WebClient

from bot.mail.messages import build_email
from bot.mail.recipients import mail_recipient
from storage.db import Database
from workers.mail import MailRefused, MailSender

logger = logging.getLogger(__name__)

# What Slack answers when the bot may not DM a person (someone of another organisation in a
# Slack Connect channel): conversations.open documents invalid_user_combination ("All external
# people must already be in at least one channel together"); chat.postMessage to a user id it
# cannot open answers channel_not_found. Such a person who registered with an e-mail address
# is sent the message by e-mail instead.
DM_REFUSED = frozenset(
    {"invalid_user_combination", "channel_not_found", "user_not_found", "cannot_dm_bot",
     "not_allowed_token_type", "restricted_action"}
)  # fmt: skip
MAIL_TS_PREFIX = "mail:"  # the 'ts' recorded for a message that went by e-mail


class MailAndFiles:
    """Uploads and the e-mail fallback; the Deliverer provides the attributes below."""

    db: Database
    client: WebClient
    mail: MailSender | None
    _dm_channels: dict[str, str]
    max_attempts: int

    def _failed(self, message_id: int, error: str, attempts: int) -> None:
        raise NotImplementedError

    def _send_in_order(self, message_ids: list[int]) -> int:
        raise NotImplementedError

    def _init_file_thread(self) -> None:
        self._later: queue.Queue[list[int] | None] = queue.Queue()
        self._later_lock = threading.Lock()
        self._later_thread: threading.Thread | None = None

    def _send_files_later(self, message_ids: list[int]) -> None:
        """Hand these (file uploads) to the file thread, which sends them in order."""
        if message_ids:
            self._later.put(message_ids)
            self._start_later()

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

    def _mail_instead(self, error: str, channel: str) -> bool:
        return error in DM_REFUSED and channel[:1] in ("U", "W") and self.mail is not None

    def _by_mail(
        self,
        message_id: int,
        user_id: str,
        text: str,
        attachment: dict[str, Any] | None,
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
            self._failed(message_id, str(exc), self.max_attempts)
            return None
        except Exception as exc:  # the server away, a 4xx: try again later
            logger.warning("Mailing outbox message %s failed: %s", message_id, exc)
            self._failed(message_id, f"smtp_{type(exc).__name__}", attempts)
            return None
        return f"{MAIL_TS_PREFIX}{message['Message-ID']}"[:40]

    def _dm_channel(self, user_id: str) -> str:
        channel = self._dm_channels.get(user_id) or str(
            self.client.conversations_open(users=user_id)["channel"]["id"]
        )
        self._dm_channels[user_id] = channel
        return channel

    def _upload(self, channel: str, text: str, attachment: dict[str, Any]) -> str:
        """A file (a calendar invitation) with text as its comment; DMs are opened first.
        Returns the file's id (recorded as the message's ts: an erasure deletes the file)."""
        if channel[:1] in ("U", "W"):
            channel = self._dm_channel(channel)
        response = self.client.files_upload_v2(
            channel=channel,
            content=attachment["content"].encode("utf-8"),
            filename=attachment["filename"],
            title=attachment.get("title") or attachment["filename"],
            initial_comment=text,
        )
        file = response.get("file") or {}
        return str(file.get("id") or "uploaded")
