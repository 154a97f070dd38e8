"""Domain errors carry a text key and parameters; the surface turns them into words."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal a person should read: `code` is an i18n key, `params` fill it in."""

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}")


class BadPayload(ValueError):
    """A request whose shape Slack never sends (crafted, or a bug): refused with one log line.

    The message names where the shape is wrong, never the values in it (they may be personal).
    """
