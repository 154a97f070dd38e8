"""Domain errors carry a text key and parameters; the surface turns them into words. And a
send that may or may not have arrived, which the outbox must not repeat by itself."""

from __future__ import annotations


class MaybeDelivered(ConnectionError):
    """A send broke after the other end had the request (its answer may have begun): it may have
    been delivered, so it is not sent again by itself (the outbox records it as unknown)."""


class DomainError(Exception):
    """A refusal a person should read: `code` is an i18n key, `params` fill it in."""

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}")


class BadPayload(DomainError, ValueError):
    """A request, button value or private_metadata this app did not write (crafted, stale, or a
    bug): nothing is stored or sent. Listeners answer `ids.bad_payload` where Slack shows it;
    elsewhere Bolt's error handler answers 400 with one log line.

    The message names where the shape is wrong, never the values in it (they may be personal).
    """

    def __init__(self, where: str, value: object = None):
        super().__init__("ids.bad_payload", what=where)
        self.where = where
        self.args = (where,)  # str(error) is the place only: the value stays out of the logs
