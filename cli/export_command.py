"""`python app.py export SLUG [--out FILE]`: the participant CSV (UTF-8 with BOM, ';')."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.coordination.export import export_csv, export_filename
from bot.events.service import get_event
from cli.common import database, settings_or_exit


def _export(args: argparse.Namespace) -> int:
    db = database(settings_or_exit())
    with db.transaction() as session:
        event = get_event(session, args.slug)
        if event is None:
            print(f"Inget evenemang heter '{args.slug}' / no such event. "
                  "Se / see: python app.py event list", file=sys.stderr)  # fmt: skip
            return 1
        data = export_csv(session, event)
        out = Path(args.out or export_filename(event))
        rows = len(event.registrations)
    if str(out) == "-":
        sys.stdout.buffer.write(data)
        return 0
    out.write_bytes(data)
    print(f"{rows} deltagare skrivna till {out} (UTF-8 med BOM, semikolon).")
    return 0


def add(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="write an event's participants as CSV")
    parser.add_argument("slug")
    parser.add_argument("--out", help="file to write (default deltagare-SLUG.csv; - for stdout)")
    parser.set_defaults(func=_export)
