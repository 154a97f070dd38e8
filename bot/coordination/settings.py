"""Settings of the coordinators' broadcasts (environment variables, read once)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class BroadcastSettings(BaseSettings):
    """BROADCAST_RATE_PER_SECOND: chat.postMessage calls per second across the workspace.

    Slack allows about 1 message per second per channel (each DM is its own channel) and
    "several hundred per minute" per workspace; 4/s (240/min) stays under that.
    """

    model_config = SettingsConfigDict(
        env_prefix="BROADCAST_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    rate_per_second: float = Field(4.0, gt=0, le=1000)
    workers: int = Field(4, ge=1, le=32, description="concurrent Web API calls while sending")
    poll_seconds: float = Field(15.0, gt=0, description="how often scheduled broadcasts are due")
    progress_seconds: float = Field(2.0, gt=0, description="how often the progress is updated")


@lru_cache(maxsize=1)
def broadcast_settings() -> BroadcastSettings:
    return BroadcastSettings()
