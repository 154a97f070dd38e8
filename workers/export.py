"""The participant CSV uploaded to the coordinator's DM (files_upload_v2)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.coordination.export import export_csv, export_filename
from bot.coordination.zoom import zoom_comment, zoom_csv, zoom_file, zoom_filename
from bot.events.service import definition_of, get_event
from bot.i18n import t
from workers.services import Services

logger = logging.getLogger(__name__)


def upload_export(client: WebClient, services: Services, *, slug: str, user_id: str,
                  lang: str) -> None:  # fmt: skip
    """Build the CSV and upload it to user_id's DM (the caller has checked they coordinate)."""
    with services.db.transaction() as session:
        event = get_event(session, slug)
        assert event is not None
        data = export_csv(session, event)
        filename = export_filename(event)
        title = definition_of(event).title
        rows = len(event.registrations)
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        content=data,
        filename=filename,
        title=filename,
        initial_comment=t("coord.export.comment", lang, title=title, n=rows),
    )
    logger.info("Exported %s (%s rows) to %s", slug, rows, user_id)


def upload_zoom(client: WebClient, services: Services, *, slug: str, user_id: str,
                lang: str) -> None:  # fmt: skip
    """Zoom's pre-assignment CSV to user_id's DM, with who must be placed by hand."""
    with services.db.read() as session:
        event = get_event(session, slug)
        assert event is not None
        zoom = zoom_file(session, event, lang=lang)
        filename = zoom_filename(event, lang)
        comment = zoom_comment(zoom, definition_of(event).title, lang)
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(channel=channel, content=zoom_csv(zoom.rows), filename=filename,
                           title=filename, initial_comment=comment)  # fmt: skip
    logger.info("Zoom pre-assignment of %s (%s rows) to %s", slug, len(zoom.rows), user_id)
