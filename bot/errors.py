"""Domain errors carry a text key and parameters; the surface turns them into words."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal a person should read: `code` is an i18n key, `params` fill it in."""

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}")


class BadPayload(DomainError):
    """A button value or private_metadata that this app did not write (or no longer reads):
    nothing is stored or sent; a surface answers with `ids.bad_payload`."""

    def __init__(self, what: str, value: object):
        super().__init__("ids.bad_payload", what=what, value=str(value)[:80])
