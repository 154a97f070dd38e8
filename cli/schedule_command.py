"""`python app.py schedule show SLUG`: every automatic post of an event, when, where, and status."""

from __future__ import annotations

import argparse

from bot.events.service import get_event
from bot.schedule.overview import schedule_overview
from bot.schedule.plan import Audience, PostKind
from bot.timefmt import format_datetime
from cli.common import database, no_such_event, settings_or_exit


def _target(post) -> str:
    if post.audience == Audience.CHANNEL:
        return post.channel or "?"
    if post.kind == PostKind.GROUP_CHANNELS:
        return "gruppkanaler skapas / group channels"
    if post.kind == PostKind.ARCHIVE_CHANNELS:
        return "gruppkanaler arkiveras / archived"
    if post.kind == PostKind.REGROUP:
        return f"{post.channel} + DM"  # and the coordinators
    if post.audience == Audience.GROUPS:
        return f"grupper + DM ({post.channel})"
    return {"coordinators": "DM samordnare", "participants": "DM deltagare", "nobody": "—"}[
        post.audience
    ]


def _show(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    db = database(settings)
    with db.transaction() as session:
        event = get_event(session, args.slug)
        if event is None:
            return no_such_event(args.slug)
        rows = schedule_overview(session, slug=args.slug, retention_days=settings.retention_days)
        tz = event.timezone
        lang = event.language
    for row in rows:
        when = format_datetime(row.post.due, tz, lang)
        print(
            f"{when:36} {row.post.kind:18} {_target(row.post):32} {row.summary:18} {row.post.key}"
        )
    print(f"{len(rows)} schemalagda utskick / scheduled posts")
    return 0


def add(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("schedule", help="show the automatic posts of an event")
    sub = parser.add_subparsers(dest="schedule_command", required=True)
    show = sub.add_parser("show", help="what will be posted, when and where (and what was)")
    show.add_argument("slug")
    show.set_defaults(func=_show)
