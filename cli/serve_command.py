"""`python app.py serve`: Socket Mode with SLACK_APP_TOKEN, otherwise HTTP on PORT."""

from __future__ import annotations

import argparse
import sys

from cli.common import database, settings_or_exit


def _serve(_args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    problems = settings.problems_for_serving()
    if problems:
        print("Kan inte starta / cannot start:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    from runtime.serve import run  # Slack-facing imports only when serving

    return run(settings, database(settings))


def add(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="connect to Slack and run the bot")
    parser.set_defaults(func=_serve)
