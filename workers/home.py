"""Publishing a person's Home tab (views.publish): the Home listener and the broadcast worker."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.blocks.home import build_home
from bot.coordination import broadcasts
from bot.coordination.dashboard import dashboards, home_language, participant_items
from workers.services import Services

logger = logging.getLogger(__name__)


def publish_home(client: WebClient, services: Services, user_id: str) -> None:
    """Build and publish the person's Home tab, in their language (dashboard.home_language)."""
    now = services.clock.now()
    with services.db.read() as session:
        items = participant_items(session, user_id=user_id, now=now)
        boards = dashboards(session, services.coordinators, user_id=user_id, now=now)
        lang = home_language(items, boards, services.settings.default_language)
        view = build_home(items, boards, now=now, lang=lang)
    client.views_publish(user_id=user_id, view=view)


def refresh_author_home(services: Services, broadcast_id: int) -> None:
    """After a broadcast: its author's dashboard shows the outcome without reopening the tab."""
    with services.db.transaction() as session:
        author = broadcasts.get(session, broadcast_id).author
    try:
        publish_home(services.client, services, author)
    except Exception:
        logger.warning("Could not refresh the Home tab of %s", author)
