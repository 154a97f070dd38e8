"""`python app.py rehearse PATH`: run an event offline, with no Slack account."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.events.loading import EventFileError, load_event_file


def _at(value: str, definition) -> datetime:
    """'2021-04-22 09:35' or '09:35' (on the event's day), in the event's timezone."""
    moment = datetime.fromisoformat(
        value if " " in value or "T" in value else f"{definition.date.isoformat()} {value}"
    )
    return moment if moment.tzinfo else moment.replace(tzinfo=definition.tz)


def _rehearse(args: argparse.Namespace) -> int:
    try:
        definition = load_event_file(args.path)
    except EventFileError as exc:
        print(f"Ogiltig evenemangsfil / invalid event file {exc}", file=sys.stderr)
        return 1
    from rehearsal.run import Rehearsal  # the Slack-facing stack only when needed

    logging.getLogger("alembic").setLevel(logging.WARNING)
    started = time.perf_counter()
    rehearsal = Rehearsal(definition, participants=args.participants, seed=args.seed)
    try:
        rehearsal.run()
        around = _at(args.at, definition) if args.at else None
        rehearsal.render(sys.stdout, around=around)
        if args.out:
            written = rehearsal.write_files(Path(args.out))
            print(f"\nFiler / files ({len(written)}) i {Path(args.out).resolve()}:")
            for path in written:
                print(f"  {path}")
    finally:
        rehearsal.close()
    print(f"(repetitionen tog {time.perf_counter() - started:.1f} s)")
    return 0


def add(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "rehearse", help="run an event offline on a simulated clock (no Slack account needed)"
    )
    parser.add_argument(
        "path", help="event file, e.g. examples/partnerskapsdag-skelleftea-2021.yaml"
    )
    parser.add_argument(
        "--participants",
        type=int,
        default=None,
        help="synthetic participants (default: the seats plus 10%%)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed for the participants")
    parser.add_argument(
        "--at", default=None, help="show only what happens within 30 minutes of TIME ('09:35')"
    )
    parser.add_argument(
        "--out", default=None, help="write every file the bot would have uploaded into this folder"
    )
    parser.set_defaults(func=_rehearse)
