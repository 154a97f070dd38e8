"""Bolt listeners only: one module per surface, each registering plain handle_* functions."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from handlers import (
    anmal,
    app_home,
    broadcast_views,
    card_actions,
    feedback_actions,
    registration_actions,
    registration_views,
    samordna,
)

# Each surface registers its own listeners; a new surface adds itself here.
REGISTRARS: list[Callable[[App], None]] = [
    anmal.register,
    registration_views.register,
    registration_actions.register,
    feedback_actions.register,
    samordna.register,
    broadcast_views.register,
    app_home.register,
    card_actions.register,
]


def register(app: App) -> None:
    """Register every surface's listeners on the app."""
    for register_surface in REGISTRARS:
        register_surface(app)
