"""Sends recorded outbox messages through the Web API, each exactly once.

A message is claimed (pending -> sending) in its own transaction before the call, so two senders
never both send it. Rate limits (429) and 5xx are retried by slack_sdk's retry handlers inside the
client; what still fails is recorded with Slack's error code for the coordinators to see.

At most once: a crash between the claim and recording the result leaves the row 'sending'; at the
next start it becomes 'unknown' (outbox_sending.mark_interrupted) and is never re-sent, because
Slack may already have shown it. A reminder lost that way is better than one posted twice.

`not_in_channel` is answered by joining the (public) channel and trying once more. A permanent
error is reported by DM to the event's coordinators, once per event, error and channel.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import outbox, outbox_sending
from bot.clock import Clock
from bot.errors import MaybeDelivered
from bot.registration.erasure import EDIT_KINDS
from bot.schedule.faults import report_fault
from storage.db import Database
from storage.models import OutboxStatus
from workers.delivery_mail import MailAndFiles
from workers.delivery_special import TakeBacksAndGroups
from workers.mail import MailSender

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
FILE_KINDS = ("calendar",)  # sent as file uploads (see deliver(files_later=True))
MAX_ATTEMPTS = 5
FAN_OUT_CHUNK = 24  # messages claimed together when one delivery goes to many channels


class Deliverer(MailAndFiles, TakeBacksAndGroups):
    """Delivers outbox messages with one WebClient."""

    max_attempts = MAX_ATTEMPTS

    def __init__(
        self,
        db: Database,
        client: WebClient,
        clock: Clock,
        *,
        workers: int = 4,
        instance: str | None = None,
        mail: MailSender | None = None,
    ):
        self.db = db
        self.client = client
        self.clock = clock
        self.instance = instance  # recorded on each claim (crash recovery at the next start)
        self.started_at = clock.now()  # rows this instance claimed earlier belong to a dead run
        self.mail = mail
        self._dm_channels: dict[str, str] = {}  # user id -> DM channel id (a DM's answer, or
        # conversations.open)
        self._init_file_thread()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="deliver")

    def deliver(self, message_ids: list[int], *, files_later: bool = False) -> int:
        """Send these messages if still pending and due; returns how many went out.

        Messages to different channels (a fan-out of DMs) go out in parallel; those to one
        channel keep their order, one after another. files_later: file uploads (calendar
        invitations: three Web API calls each) go to a background thread once the rest are
        sent (a person's confirmation comes before its calendar file, whose DM channel it
        tells), so they never hold up the caller (the inbox worker in a deadline rush); they
        are not counted.
        """
        if len(message_ids) <= 1:
            return self._send_in_order(message_ids)
        with self.db.transaction() as session:
            channel_of = outbox_sending.channels_of(session, message_ids)
            later = (
                outbox_sending.ids_of_kinds(session, message_ids, FILE_KINDS)
                if files_later
                else set()
            )
        try:
            now_ids = [i for i in message_ids if i not in later]
            if len({channel_of.get(message_id, "") for message_id in now_ids}) <= 1:
                return self._send_in_order(now_ids)
            # a fan-out: claimed, sent in parallel and recorded a chunk at a time (two
            # statements per chunk instead of two transactions per message; a crash leaves at
            # most one chunk's messages of unknown fate, never sent twice)
            return sum(
                self.deliver_batch(now_ids[start : start + FAN_OUT_CHUNK])
                for start in range(0, len(now_ids), FAN_OUT_CHUNK)
            )
        finally:
            self._send_files_later([i for i in message_ids if i in later])

    def _send_in_order(self, message_ids: list[int]) -> int:
        """Send one after another; recording a send shares a transaction with the next claim."""
        sent, unrecorded = 0, None
        for message_id in message_ids:
            with self.db.transaction() as session:
                if unrecorded is not None:
                    self._record_sent(session, *unrecorded)
                    unrecorded = None
                message = outbox_sending.claim(
                    session, message_id, now=self.clock.now(), instance=self.instance
                )
                if message is None:
                    continue
                claimed = (message.channel, message.text, message.blocks, message.attempts,
                           message.attachment, message.key, message.event_id)  # fmt: skip
                usergroup = outbox.usergroup_of(message.channel)
                edit = (message.kind, message.slack_ts) if message.kind in EDIT_KINDS else None
            if usergroup is not None:  # one copy per member, each sent as a message of its own
                sent += self._send_in_order(self._expand(message_id, usergroup, claimed[3]))
                continue
            ts = self._send_claimed(message_id, claimed, edit)
            if ts is not None:
                unrecorded, sent = (message_id, ts), sent + 1
        if unrecorded is not None:
            with self.db.transaction() as session:
                self._record_sent(session, *unrecorded)
        return sent

    def deliver_batch(self, message_ids: list[int], *, files_later: bool = False) -> int:
        """Like deliver, for a batch of messages (the inbox worker's): all claimed in one
        statement, sent (different channels in parallel, one channel in order), and the
        successful sends recorded in one statement. Returns how many went out. files_later:
        as in deliver (file uploads go to the background thread, not counted)."""
        if not message_ids:
            return 0
        with self.db.transaction() as session:
            later = (
                outbox_sending.ids_of_kinds(session, message_ids, FILE_KINDS)
                if files_later
                else set()
            )
            claimed = [
                (m.id, (m.channel, m.text, m.blocks, m.attempts, m.attachment, m.key, m.event_id),
                 (m.kind, m.slack_ts) if m.kind in EDIT_KINDS else None)
                for m in outbox_sending.claim_many(
                    session, [i for i in message_ids if i not in later], now=self.clock.now(),
                    instance=self.instance,
                )
            ]  # fmt: skip
        queues: dict[str, list[tuple]] = {}
        for message in claimed:
            queues.setdefault(message[1][0], []).append(message)

        def send(queue: list[tuple]) -> tuple[list[tuple[int, str]], int]:
            done, expanded = [], 0
            for message_id, fields, edit in queue:
                usergroup = outbox.usergroup_of(fields[0])
                if usergroup is not None:  # one copy per member (the row is marked sent)
                    expanded += self._send_in_order(self._expand(message_id, usergroup, fields[3]))
                elif (ts := self._send_claimed(message_id, fields, edit)) is not None:
                    done.append((message_id, ts))
            return done, expanded

        try:  # one channel (a quiet moment: one person's DM) in this thread, not the pool's
            if len(queues) == 1:
                results = [send(next(iter(queues.values())))]
            else:
                results = list(self._pool.map(send, queues.values()))
        finally:  # after the DMs: a person's confirmation comes first, then its calendar file
            self._send_files_later([i for i in message_ids if i in later])
        sent = [pair for pairs, _ in results for pair in pairs]
        if sent:
            with self.db.transaction() as session:
                outbox_sending.mark_many_sent(session, sent, now=self.clock.now())
        return len(sent) + sum(expanded for _, expanded in results)

    def _send_claimed(
        self, message_id: int, claimed: tuple, edit: tuple[str, str | None] | None
    ) -> str | None:
        """Send one claimed message (channel, text, blocks, attempts, attachment, key, event id),
        or take back an earlier post (an erasure: edit = (kind, ts)); Slack's ts, or None when
        it failed (recorded)."""
        if edit is not None:
            return self._take_back(message_id, *edit, claimed[0], claimed[1], claimed[3])
        return self._attempt(message_id, *claimed)

    def deliver_due(self, limit: int = 500) -> int:
        with self.db.transaction() as session:
            ids = outbox_sending.due_ids(session, now=self.clock.now(), limit=limit)
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
            self._remember_dm(channel, response)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
            if self._mail_instead(error, channel):
                return self._by_mail(message_id, channel, text, attachment, key, event_id,
                                     attempts, error)  # fmt: skip
            self._failed(message_id, error, attempts)
            return None
        except MaybeDelivered as exc:  # it may have arrived: not sent again without a person
            logger.warning("Outbox message %s may or may not have arrived: %s", message_id, exc)
            self._unknown(message_id, type(exc).__name__)
            return None
        except Exception as exc:  # network trouble after the client's own retries
            logger.warning("Sending outbox message %s failed: %s", message_id, exc)
            self._failed(message_id, type(exc).__name__, attempts)
            return None
        return str(response.get("ts") or "")

    def _record_sent(self, session, message_id: int, ts: str) -> None:
        outbox_sending.mark_sent(session, message_id, now=self.clock.now(), slack_ts=ts)

    def _post(self, channel: str, text: str, blocks: list | None):
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

    def _remember_dm(self, channel: str, response) -> None:  # noqa: ANN001
        """A DM posted to a person's user id answers with its channel's id: the calendar file
        that follows it needs no conversations.open."""
        dm = str(response.get("channel") or "")
        if channel[:1] in ("U", "W") and dm[:1] == "D":
            self._dm_channels[channel] = dm

    def _unknown(self, message_id: int, error: str) -> None:
        """Cut off mid-answer: shown to coordinators as unknown, never sent again by itself."""
        now, error = self.clock.now(), f"{error}: may have arrived"
        with self.db.transaction() as session:
            outbox_sending.finish(session, message_id, status=OutboxStatus.UNKNOWN, now=now,
                                  error=error)  # fmt: skip

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
            outbox_sending.finish(
                session,
                message_id,
                status=OutboxStatus.FAILED,
                now=now,
                error=error[:200],
                retry_at=None if permanent else now + RETRY_DELAY * attempts,
            )
            report_ids = report_fault(session, message_id, error, now=now) if permanent else []
        self._send_in_order(report_ids)  # not through the pool: this may run on a pool thread
