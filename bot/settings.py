"""One typed settings object, read from the environment (and .env) once and validated at start."""

from __future__ import annotations

import os
import socket
from functools import lru_cache
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_DEFAULT_API_URL = "https://slack.com/api/"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    affinity = getattr(os, "sched_getaffinity", None)  # Linux; elsewhere: every core
    return len(affinity(0)) if affinity else os.cpu_count() or 1


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        "sqlite:///workshopbot.sqlite3", description="SQLAlchemy URL; SQLite file by default"
    )
    slack_bot_token: str = Field("", description="xoxb- bot token")
    slack_signing_secret: str = Field("", description="signing secret (HTTP mode)")
    slack_app_token: str = Field("", description="xapp- app-level token: enables Socket Mode")
    slack_api_url: str = Field(SLACK_DEFAULT_API_URL, description="Web API base URL")
    port: int = Field(3000, ge=1, le=65535)
    host: str = "0.0.0.0"
    http_threads: int = Field(8, ge=1, le=256)
    inbox_process: bool = Field(
        default_factory=lambda: usable_cores() > 1,
        description="serve: register and confirm in a second process, on a core of its own "
        "(default: when this process may use more than one core)",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    default_language: Literal["sv", "en"] = "sv"
    scheduler_enabled: bool = True
    misfire_grace_minutes: int = Field(15, ge=0)
    leader_poll_seconds: float = Field(
        5.0, gt=0, description="how often a follower tries to take over the scheduler"
    )
    retention_days: int = Field(30, ge=0)
    broadcast_rate_per_second: float = Field(4.0, gt=0, le=1000)
    broadcast_workers: int = Field(4, ge=1, le=32)
    broadcast_poll_seconds: float = Field(15.0, gt=0)
    broadcast_progress_seconds: float = Field(2.0, gt=0)
    instance_id: str = Field(
        default_factory=lambda: socket.gethostname()[:58],
        min_length=1,
        max_length=58,  # claims record it in 64 characters, the inbox process's with "/inbox"
        description="this instance's stable name: at start it resolves the messages it was "
        "sending when it died (default: the host name; set it when instances share a host)",
    )
    smtp_url: str = Field(
        "", description="smtp://[user:password@]host[:port] (STARTTLS with ?starttls=1) or smtps://"
    )
    mail_from: str = Field("", description="the From: address of e-mails to people Slack won't DM")

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: str) -> str:
        if value and not value.startswith(("smtp://", "smtps://")):
            raise ValueError("must start with smtp:// or smtps://")
        return value

    @model_validator(mode="after")
    def _mail_from_with_smtp(self) -> Settings:
        if self.smtp_url and "@" not in self.mail_from:
            raise ValueError("MAIL_FROM must be an e-mail address when SMTP_URL is set")
        return self

    @property
    def mail_enabled(self) -> bool:
        """E-mail can reach people Slack will not let the bot DM (another organisation)."""
        return bool(self.smtp_url)

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: str) -> str:
        if value and not value.startswith("xoxb-"):
            raise ValueError("must start with xoxb- (the Bot User OAuth Token)")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: str) -> str:
        if value and not value.startswith("xapp-"):
            raise ValueError("must start with xapp- (an app-level token with connections:write)")
        return value

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    def problems_for_serving(self) -> list[str]:
        """What is missing before `serve` can talk to Slack; one line per variable."""
        problems = []
        if not self.slack_bot_token:
            problems.append("SLACK_BOT_TOKEN is not set (Bot User OAuth Token, xoxb-...)")
        if not self.socket_mode and not self.slack_signing_secret:
            problems.append(
                "SLACK_SIGNING_SECRET is not set (needed in HTTP mode; "
                "or set SLACK_APP_TOKEN for Socket Mode)"
            )
        return problems


class SettingsError(Exception):
    """Settings could not be read; the message has one line per bad variable."""


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings, turning pydantic's errors into one line per variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = [
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        ]
        raise SettingsError("\n".join(lines)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return load_settings()
