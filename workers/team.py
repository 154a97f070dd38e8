"""Whose workspace a person belongs to: ours (the bot's team) or a partner organisation's."""

from __future__ import annotations

import logging

from workers.services import Services

logger = logging.getLogger(__name__)


def home_team(services: Services) -> str | None:
    """The bot's own team id (auth.test, asked once per process with the short-timeout client:
    it runs before an ack)."""
    if services.home_team is None:
        try:
            services.home_team = str(services.profile_client.auth_test().get("team_id") or "")
        except Exception:
            logger.warning("auth.test failed; treating everyone as a member of this workspace")
            return None
    return services.home_team or None


def team_of(body: dict) -> str | None:
    """The person's home team from an interaction payload (user.team_id)."""
    return (body.get("user") or {}).get("team_id") or None


def is_external(services: Services, body: dict) -> bool:
    """A person of another workspace (Slack Connect): Slack will not let the bot DM them."""
    theirs = team_of(body)
    if not theirs:
        return False
    ours = home_team(services)
    return bool(ours and theirs != ours)
