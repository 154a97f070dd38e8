"""`python app.py event load PATH` and `event list`."""

from __future__ import annotations

import argparse
import sys

from bot.clock import SystemClock
from bot.events.loading import EventFileError, load_event_file
from bot.events.service import EventChangeRefused, count_by_status, list_events, upsert_event
from bot.intake.flows import notify_promoted
from bot.invites import service as invites
from bot.timefmt import format_datetime
from cli.common import database, settings_or_exit


def _load(args: argparse.Namespace) -> int:
    try:
        definition = load_event_file(args.path)
    except EventFileError as exc:
        print(f"Ogiltig evenemangsfil / invalid event file {exc}", file=sys.stderr)
        return 1
    db = database(settings_or_exit())
    try:
        with db.transaction() as session:
            now = SystemClock().now()
            result = upsert_event(session, definition, now=now)
            version = result.event.version
            # a raised seat limit promotes people: their DMs are recorded with the change and
            # sent by the running bot's outbox sweep
            notify_promoted(session, result.event, result.promoted_user_ids, now)
            # a new time, link or title (or a cancelled day) updates everyone's calendar
            updated = len(invites.refresh(session, result.event, now=now)) if result.changed else 0
    except EventChangeRefused as exc:
        print(
            f"Ändringen av '{definition.slug}' vägrades / the change was refused:",
            file=sys.stderr,
        )
        for reason in exc.reasons:
            print(f"  - {reason}", file=sys.stderr)
        return 1
    state = "skapat" if result.created else ("uppdaterat" if result.changed else "oförändrat")
    print(f"Evenemanget '{definition.slug}' är {state} (version {version}).")
    if result.promoted_user_ids:
        print(f"Flyttade från väntelistan: {', '.join(result.promoted_user_ids)}")
    if updated:
        print(f"Kalenderuppdateringar att skicka / calendar updates to send: {updated}")
    # The job store belongs to the running scheduler (one per job store): it re-syncs this
    # event's jobs within seconds, or at its next start.
    print(
        f"Schemat synkas av boten / the running bot syncs the schedule; "
        f"se / see: python app.py schedule show {definition.slug}"
    )
    return 0


def _list(_args: argparse.Namespace) -> int:
    db = database(settings_or_exit())
    with db.transaction() as session:
        events = list_events(session)
        if not events:
            print("Inga evenemang är inlästa. Läs in ett med: python app.py event load FIL")
            return 0
        for event in events:
            counts = count_by_status(session, event.id)
            when = format_datetime(event.starts_at, event.timezone)
            closes = format_datetime(event.closes_at, event.timezone)
            print(
                f"{event.slug:32} {when:36} anmälda {counts.get('registered', 0)}/"
                f"{event.seat_limit}, väntelista {counts.get('waitlisted', 0)}, "
                f"sista anmälan {closes}"
            )
    return 0


def add(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("event", help="load and list events")
    sub = parser.add_subparsers(dest="event_command", required=True)
    load = sub.add_parser("load", help="validate an event file and create or update the event")
    load.add_argument("path")
    load.set_defaults(func=_load)
    sub.add_parser("list", help="list loaded events").set_defaults(func=_list)
