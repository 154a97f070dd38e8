"""How broadcasts are paced: a view of the one Settings object (BROADCAST_* variables)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.settings import Settings


class BroadcastSettings(BaseModel):
    """Pacing of broadcasts.

    Slack allows about 1 message per second per channel (each DM is its own channel) and
    "several hundred per minute" per workspace; 4/s (240/min) stays under that.
    """

    rate_per_second: float = Field(4.0, gt=0, le=1000)
    workers: int = Field(4, ge=1, le=32, description="concurrent Web API calls while sending")
    poll_seconds: float = Field(15.0, gt=0, description="how often scheduled broadcasts are due")
    progress_seconds: float = Field(2.0, gt=0, description="how often the progress is updated")

    @classmethod
    def of(cls, settings: Settings) -> BroadcastSettings:
        return cls(
            rate_per_second=settings.broadcast_rate_per_second,
            workers=settings.broadcast_workers,
            poll_seconds=settings.broadcast_poll_seconds,
            progress_seconds=settings.broadcast_progress_seconds,
        )
