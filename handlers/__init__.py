"""Bolt listeners only: one module per surface, each registering plain handle_* functions."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from handlers import (
    anmal,
    app_home,
    broadcast_views,
    card_actions,
    draft_review,
    feedback_actions,
    feedback_comment,
    registration_actions,
    registration_views,
    samordna,
    workshop_notes,
)

# Each surface registers its own listeners; a new surface adds itself here.
REGISTRARS: list[Callable[[App], None]] = [
    anmal.register,
    registration_views.register,
    registration_actions.register,
    feedback_actions.register,
    feedback_comment.register,
    samordna.register,
    broadcast_views.register,
    app_home.register,
    card_actions.register,
    workshop_notes.register,
    draft_review.register,
]


def register(app: App) -> None:
    """Register every surface's listeners on the app."""
    for register_surface in REGISTRARS:
        register_surface(app)
