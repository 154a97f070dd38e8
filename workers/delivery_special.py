"""The outbox's messages that are not plain posts, mixed into the Deliverer: taking back one of
the bot's own earlier posts (an erasure: chat.delete, chat.update, files.delete) and a DM to the
coordinators' Slack user group (resolved at send time into one message per member)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import outbox, outbox_sending
from bot.clock import Clock
from bot.registration.erasure import DELETE_KIND
from storage.db import Database
from storage.models import OutboxMessage

logger = logging.getLogger(__name__)


class TakeBacksAndGroups:
    """Take-backs and user-group DMs; the Deliverer provides the attributes below."""

    db: Database
    client: WebClient
    clock: Clock

    def _failed(self, message_id: int, error: str, attempts: int) -> None:
        raise NotImplementedError  # the Deliverer's: records the failure, reports a lasting one

    def _dm_channel(self, user_id: str) -> str:
        raise NotImplementedError  # MailAndFiles's: a person's DM channel, opened once

    def _take_back(
        self, message_id: int, kind: str, ts: str | None, channel: str, text: str, attempts: int
    ) -> str | None:
        """Delete (chat.delete) or edit (chat.update) one of the bot's own earlier posts; a DM
        is found through conversations.open (once per person). A message already gone counts as
        done."""
        if not ts:  # never posted (or its ts was never recorded): nothing of ours to take back
            return ""
        try:
            if channel[:1] in ("U", "W"):
                channel = self._dm_channel(channel)
                with self.db.transaction() as session:  # the row no longer names the person
                    outbox_sending.set_channel(session, message_id, channel)
            if kind == DELETE_KIND and ts.startswith("F"):  # an uploaded file (calendar)
                self.client.files_delete(file=ts)
            elif kind == DELETE_KIND:
                self.client.chat_delete(channel=channel, ts=ts)
            else:
                self.client.chat_update(channel=channel, ts=ts, text=text, blocks=[])
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
            if error in ("message_not_found", "channel_not_found", "file_not_found"):
                return ts or ""
            self._failed(message_id, error, attempts)
            return None
        except Exception as exc:  # network trouble after the client's own retries
            logger.warning("Taking back outbox message %s failed: %s", message_id, exc)
            self._failed(message_id, type(exc).__name__, attempts)
            return None
        return ts or ""

    def _expand(self, message_id: int, usergroup: str, attempts: int) -> list[int]:
        """Resolve a coordinators' user group and record one message per member (keys make a
        second expansion, or a member who is also a listed coordinator, add nothing)."""
        try:
            members = self.client.usergroups_users_list(usergroup=usergroup).get("users") or []
        except SlackApiError as exc:
            self._failed(message_id, str(exc.response.get("error") or "usergroup"), attempts)
            return []
        except Exception as exc:  # network trouble after the client's own retries
            logger.warning("Resolving user group %s failed: %s", usergroup, exc)
            self._failed(message_id, type(exc).__name__, attempts)
            return []
        now = self.clock.now()
        with self.db.transaction() as session:
            row = session.get(OutboxMessage, message_id)
            assert row is not None
            copies = [
                {"key": outbox.member_key(row.key, usergroup, user), "channel": user,
                 "text": row.text, "blocks": row.blocks}
                for user in members
            ]  # fmt: skip
            ids = outbox.enqueue_many(session, copies, now=now, kind=row.kind,
                                      event_id=row.event_id)  # fmt: skip
            outbox_sending.mark_sent(session, message_id, now=now, slack_ts=None)
        return ids
