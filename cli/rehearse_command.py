"""`python app.py rehearse PATH`: run an event offline, with no Slack account."""

from __future__ import annotations

import argparse
import gc
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
    # A run of some seconds that allocates a lot: the ~100,000 objects the imports make live as
    # long as the process, so no collection runs while they are made and they are then taken
    # out of the collector's passes (gc.freeze), and it collects young objects every 20,000
    # allocations instead of 700. Collections cost the sample event ~0.9 s of CPU, now ~0.3 s;
    # the memory it peaks at is the same (~200 MB).
    gc.disable()
    from rehearsal.brief import print_brief  # the Slack-facing stack only when needed
    from rehearsal.page.texts import tr
    from rehearsal.run import Rehearsal
    from runtime.affinity import one_core

    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    gc.enable()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    root = logging.getLogger()
    if not getattr(args, "log_level_chosen", False):  # the printout is the report: the app's
        root.setLevel(logging.WARNING)  # routine notes stay out of it unless LOG_LEVEL asks
    started = time.perf_counter()
    # its threads take turns on one GIL: on one core they hand it over without waking another
    # core (runtime/affinity.py: a fifth less CPU; with both cores busy 40 % less time)
    with one_core(enabled=not args.all_cores):
        rehearsal = Rehearsal(definition, participants=args.participants, seed=args.seed)
        try:
            rehearsal.run()
            if args.at or args.verbose:
                around = _at(args.at, definition) if args.at else None
                rehearsal.render(sys.stdout, around=around)
            else:
                print_brief(rehearsal, sys.stdout)
            if args.out:
                out = Path(args.out).resolve()
                written = rehearsal.write_files(out)
                lang = definition.language
                print("\n" + tr("terminal.page", lang, path=written[0]))  # the page comes first
                print(tr("terminal.files", lang, n=len(written), path=out))
                for line in _files_shown(written, out, every=args.verbose):
                    print(f"  {line}")
            if not (args.at or args.verbose):
                print(tr("terminal.more", definition.language))
        finally:
            rehearsal.close()
    print(tr("terminal.took", definition.language, s=f"{time.perf_counter() - started:.1f}"))
    return 0


def _files_shown(written: list[Path], out: Path, *, every: bool) -> list[str]:
    """Every file (verbose or a few), else the page and a count per folder (the page lists
    them all: a registered person's calendar file each, the e-mails, the documentation)."""
    if every or len(written) <= 12:
        return [str(path) for path in written]
    folders: dict[str, int] = {}
    for path in written[1:]:
        parts = path.relative_to(out).parts
        folder = f"{out / parts[0]}/" if len(parts) > 1 else str(path)
        folders[folder] = folders.get(folder, 0) + 1
    return [str(written[0])] + [f"{folder} ({n})" for folder, n in folders.items()]


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
        "--out",
        default="rehearsal-out",
        help="folder for the page (index.html: the day as Slack shows it) and every file the bot"
        " uploaded (default: rehearsal-out; '' writes nothing)",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="print every message to everyone, as it was sent"
    )
    parser.add_argument(
        "--all-cores",
        action="store_true",
        help="let the rehearsal's threads run on every core (slower: they take turns on one"
        " interpreter lock; docs/bench-rehearsal.md)",
    )
    parser.set_defaults(func=_rehearse)
