"""Argument parsing and dispatch for app.py; subcommands register themselves in COMMANDS."""

from __future__ import annotations

import argparse
import gc
import logging
from collections.abc import Callable

from bot.settings import LOG_FORMAT, SettingsError, load_settings
from cli import db_commands, event_commands, schedule_command, serve_command

# Each module adds its subparsers: add(subparsers) -> None, setting `func` on its parsers.
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    serve_command.add,
    event_commands.add,
    db_commands.add,
    schedule_command.add,
]


def _optional_commands() -> None:
    """Subcommands of features that live in their own packages (rehearse, export, ...)."""
    for module_name in ("cli.rehearse_command", "cli.export_command", "cli.report_command"):
        try:
            module = __import__(module_name, fromlist=["add"])
        except ModuleNotFoundError:
            continue
        if module.add not in COMMANDS:
            COMMANDS.append(module.add)


def build_parser() -> argparse.ArgumentParser:
    _optional_commands()
    parser = argparse.ArgumentParser(
        prog="python app.py", description="Slack bot for partnership workshop days."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for add in COMMANDS:
        add(subparsers)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        level, chosen = settings.log_level, "log_level" in settings.model_fields_set
    except SettingsError:  # the subcommand that needs the settings reports what is wrong
        level, chosen = "INFO", False
    args.log_level_chosen = chosen  # LOG_LEVEL given (environment or .env), not the default
    logging.basicConfig(
        level=level,
        format=LOG_FORMAT,
    )
    gc.enable()  # app.py turned it off for the imports
    return int(args.func(args) or 0)
