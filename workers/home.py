"""Publishing a person's Home tab (views.publish): the Home listener and the broadcast worker."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.blocks.home import build_home
from bot.coordination.dashboard import dashboards, participant_items
from workers.coordinators import coordinator_check, language
from workers.services import Services


def publish_home(client: WebClient, services: Services, user_id: str) -> None:
    """Build and publish the person's Home tab."""
    now, lang = services.clock.now(), language(services)
    with services.db.read() as session:
        items = participant_items(session, user_id=user_id, now=now)
        boards = dashboards(session, coordinator_check(services), user_id=user_id, now=now)
        view = build_home(items, boards, now=now, lang=lang)
    client.views_publish(user_id=user_id, view=view)
