"""The one dispatcher of the coordinator's breakout actions, shared by /samordna and the Home
tab: run the domain action in a transaction, render its result."""

from __future__ import annotations

from bot.blocks.coordinator import build_breakout_text
from bot.coordination.breakout_actions import run_breakout_action
from bot.coordination.commands import Verb
from workers.services import Services


def breakout_reply(
    services: Services,
    verb: Verb,
    slug: str,
    by: str,
    lang: str,
    *,
    user_id: str | None = None,
    group_key: str | None = None,
) -> str:
    """Run flytta / publicera for coordinator `by` and say what happened."""
    with services.db.transaction() as session:
        outcome = run_breakout_action(session, verb, slug=slug, by=by, now=services.clock.now(),
                                      user_id=user_id, group_key=group_key)  # fmt: skip
    services.deliverer.deliver(list(outcome.told))  # those whose group changed, once
    return build_breakout_text(outcome, lang)
