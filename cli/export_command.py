"""`python app.py export SLUG [--out FILE]`: the participant CSV (UTF-8 with BOM, ';')."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.coordination.export import export_csv, export_filename
from bot.coordination.zoom import zoom_comment, zoom_csv, zoom_file, zoom_filename
from bot.errors import DomainError
from bot.events.service import definition_of, get_event
from bot.i18n import t
from cli.common import database, no_such_event, settings_or_exit


def _export(args: argparse.Namespace) -> int:
    db = database(settings_or_exit())
    with db.transaction() as session:
        event = get_event(session, args.slug)
        if event is None:
            return no_such_event(args.slug)
        if args.zoom:
            return _export_zoom(session, event, args.out)
        data = export_csv(session, event)
        out = Path(args.out or export_filename(event))
        rows = len(event.registrations)
    if str(out) == "-":
        sys.stdout.buffer.write(data)
        return 0
    out.write_bytes(data)
    print(f"{rows} deltagare skrivna till {out} (UTF-8 med BOM, semikolon).")
    return 0


def _export_zoom(session, event, out_arg: str | None) -> int:  # noqa: ANN001
    """Zoom's pre-assignment CSV; the people to place by hand and any limit go to stderr."""
    lang = event.language
    try:
        zoom = zoom_file(session, event, lang=lang)
    except DomainError as exc:
        print(t(exc.code, lang, **exc.params).replace("*", ""), file=sys.stderr)
        return 1
    data = zoom_csv(zoom.rows)
    if out_arg == "-":
        sys.stdout.buffer.write(data)
    else:
        out = Path(out_arg or zoom_filename(event, lang))
        out.write_bytes(data)
        print(t("around.zoom.cli_written", lang, rows=len(zoom.rows), rooms=zoom.rooms, out=out))
    if zoom.problems or zoom.without_email:
        comment = zoom_comment(zoom, definition_of(event).title, lang)
        print(comment.split("\n\n", 1)[1].replace("*", ""), file=sys.stderr)
    return 0


def add(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="write an event's participants as CSV")
    parser.add_argument("slug")
    parser.add_argument("--out", help="file to write (default deltagare-SLUG.csv; - for stdout)")
    parser.add_argument(
        "--zoom", action="store_true",
        help="Zoom's breakout pre-assignment CSV instead (default zoom-grupper-SLUG.csv; "
        "zoom-groups-SLUG.csv for an English event)",
    )  # fmt: skip
    parser.set_defaults(func=_export)
