"""Text PostgreSQL can store: no NUL (nor other control characters), no lone surrogates."""

from __future__ import annotations

import unicodedata

# Line breaks and tabs are ordinary in a comment (single-line fields fold them into spaces).
_ALLOWED_CONTROLS = frozenset("\n\r\t")


def unstorable(text: str) -> bool:
    """A control character (NUL cannot be stored in PostgreSQL text) or a lone surrogate."""
    return any(
        unicodedata.category(char) in ("Cc", "Cs") and char not in _ALLOWED_CONTROLS
        for char in text
    )
