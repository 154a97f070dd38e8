"""The day's documentation (.docx) uploaded to each coordinator's DM after the last item.

The content is built by bot.workshop; here are only the Web API calls (files_upload_v2). The job
is recorded as done in the same transaction, so a re-run does not upload it again; a failed
upload is reported to the coordinators once and the schedule goes on."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.i18n import t
from bot.schedule import posts
from bot.schedule.faults import report_problem
from bot.schedule.group_channels import record_done
from bot.workshop.document import build_documentation, documentation_filename
from bot.workshop.report_data import gather_report
from workers.services import Services

logger = logging.getLogger(__name__)


def _recipients(services: Services, session, event, definition, now) -> list[str]:  # noqa: ANN001
    """The listed coordinators and the members of their user group, each once (a group that
    cannot be listed is reported to the coordinators; the listed users still get the file)."""
    users = list(definition.coordinators.users)
    group = definition.coordinators.usergroup
    if group:
        try:
            members = services.client.usergroups_users_list(usergroup=group).get("users") or []
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
            logger.warning("Documentation of %s: user group %s: %s", definition.slug, group, error)
            report_problem(session, event, error=error, target=group, now=now)
            members = []
        users += [m for m in members if m not in users]
    return users


def run_documentation_job(services: Services, key: str) -> posts.PostResult:
    """Carry out a `documentation:` job of the planner."""
    from workers.schedule_jobs import grace_of

    now = services.clock.now()
    client = services.client
    with services.db.transaction() as session:
        due = posts.prepare(session, key=key, now=now, grace=grace_of(services),
                            retention_days=services.settings.retention_days)  # fmt: skip
        if isinstance(due, posts.PostResult):
            return due
        definition = due.definition
        data = build_documentation(gather_report(session, due.event), now=now)
        filename = documentation_filename(definition)
        uploaded = 0
        for user_id in _recipients(services, session, due.event, definition, now):
            try:
                channel = client.conversations_open(users=user_id)["channel"]["id"]
                client.files_upload_v2(
                    channel=channel, content=data, filename=filename, title=filename,
                    initial_comment=t("workshop.doc.upload", definition.language,
                                      title=definition.title),
                )  # fmt: skip
                uploaded += 1
            except SlackApiError as exc:
                error = str(exc.response.get("error") or exc.response.status_code)
                logger.warning("Documentation of %s to %s: %s", definition.slug, user_id, error)
                report_problem(session, due.event, error=error, target=user_id, now=now)
        record_done(session, due.event, key=key, text=f"{uploaded} uploaded", now=now)
    services.deliverer.deliver_due()  # problem reports, if any
    return posts.PostResult()
