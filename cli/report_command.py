"""`python app.py report SLUG [--out FILE]`: the day's documentation as a Word file (.docx)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.clock import SystemClock
from bot.events.service import get_event
from bot.workshop.document import build_documentation, documentation_filename
from bot.workshop.report_data import gather_report
from cli.common import database, no_such_event, settings_or_exit


def _report(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    db = database(settings)
    with db.read() as session:
        event = get_event(session, args.slug)
        if event is None:
            return no_such_event(args.slug)
        report = gather_report(session, event)
    data = build_documentation(report, now=SystemClock().now())
    out = Path(args.out or documentation_filename(report.definition))
    out.write_bytes(data)
    print(f"Dokumentationen skriven till {out} / documentation written ({len(data)} byte).")
    return 0


def add(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="write the day's documentation (.docx)")
    parser.add_argument("slug")
    parser.add_argument(
        "--out",
        help="file to write (default dokumentation-SLUG.docx; documentation-SLUG.docx for an "
        "English event)",
    )
    parser.set_defaults(func=_report)
