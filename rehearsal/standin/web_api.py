"""What the Slack stand-in answers for each Web API method it knows (Slack's response shapes)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SharedFile:
    """A completed files_upload_v2: which upload, under what name, shared where."""

    file_id: str
    filename: str
    title: str
    channel: str


@dataclass
class WebApiAnswers:
    """Mixed into SlackStandIn: one `_m_<method>` per Web API method; others answer {"ok": true}."""

    users: dict[str, dict[str, Any]]
    external_users: dict[str, str]
    usergroups: dict[str, list[str]]
    channels: dict[str, dict[str, Any]]
    upload_names: dict[str, str]
    shared_files: list[SharedFile]
    bot_user_id: str
    _ids: Any
    _server: Any

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """The body Slack would answer for a successful call."""
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        return handler(params) if handler else {"ok": True}

    def _m_auth_test(self, _p: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://standin.slack.com/",
            "team": "Stand-in",
            "user": "workshopbot",
            "team_id": "T00000001",
            "user_id": self.bot_user_id,
            "bot_id": "B00000001",
        }

    def _dm_channel(self, channel: str) -> str:
        return "D" + channel[1:] if channel[:1] in ("U", "W") else channel

    def _external(self, channel: str) -> bool:
        """A DM to a person of another organisation (Slack refuses it)."""
        return any(channel in (u, "D" + u[1:]) for u in self.external_users)

    def _m_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        ts = f"{time.time():.6f}"
        if self._external(str(p.get("channel", ""))):
            return {"ok": False, "error": "channel_not_found"}
        channel = self._dm_channel(str(p.get("channel", "")))
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "message": {"text": p.get("text"), "ts": ts, "user": self.bot_user_id},
        }

    def _m_chat_postEphemeral(self, _p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": f"{time.time():.6f}"}

    def _m_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}

    def _m_chat_delete(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("ts"):
            return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}

    def _view(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        view.setdefault("id", p.get("view_id") or self._next_id("V"))
        view.setdefault("hash", self._next_id("h"))
        return {"ok": True, "view": view}

    _m_views_open = _m_views_update = _m_views_push = _m_views_publish = _view

    def _m_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        user_id = str(p.get("user"))
        profile = self.users.get(user_id)
        if profile is None:
            return {"ok": False, "error": "user_not_found"}
        return {
            "ok": True,
            "user": {
                "id": user_id,
                "name": user_id.lower(),
                "real_name": profile.get("real_name", ""),
                "locale": profile.get("locale", "en-US"),
                "tz": "Europe/Stockholm",
                "profile": {
                    "real_name": profile.get("real_name", ""),
                    "display_name": profile.get("display_name", ""),
                    "title": profile.get("title", ""),
                    "email": profile.get("email", ""),
                },
            },
        }

    def _m_apps_connections_open(self, _p: dict[str, Any]) -> dict[str, Any]:
        host, port = self._server.server_address[:2]
        return {"ok": True, "url": f"ws://{host}:{port}/socket?ticket={self._next_id('t')}"}

    def _m_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        users = str(p.get("users", "")).split(",")
        if any(u in self.external_users for u in users):  # conversations.open's documented error
            return {"ok": False, "error": "invalid_user_combination"}
        return {"ok": True, "channel": {"id": self._dm_channel(users[0])}}

    def _m_conversations_create(self, p: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._next_id("C")
        self.channels[channel_id] = {"id": channel_id, "name": p.get("name"), "members": []}
        return {"ok": True, "channel": self.channels[channel_id]}

    def _m_usergroups_users_list(self, p: dict[str, Any]) -> dict[str, Any]:
        users = self.usergroups.get(str(p.get("usergroup")))
        if users is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": users}

    def _m_files_getUploadURLExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = self._next_id("F")
        self.upload_names[file_id] = str(p.get("filename") or file_id)
        host, port = self._server.server_address[:2]
        return {
            "ok": True,
            "file_id": file_id,
            "upload_url": f"http://{host}:{port}/upload/{file_id}",
        }

    def _m_files_completeUploadExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        files = p.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        for f in files:
            self.shared_files.append(
                SharedFile(
                    file_id=str(f.get("id")),
                    filename=self.upload_names.get(str(f.get("id")), str(f.get("id"))),
                    title=str(f.get("title") or ""),
                    channel=str(p.get("channel_id") or p.get("channels") or ""),
                )
            )
        return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}
