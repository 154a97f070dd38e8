"""User-facing text. Swedish first, English available.

Each module in this package holds the texts of one concern as ``TEXTS = {"sv": {...}, "en": {...}}``;
they are discovered automatically so that concerns never edit a shared file. Keys are prefixed by
concern (``reg.``, ``sched.``, ``coord.``, ...). A text with a count ``{n}`` may have a singular
form under ``KEY.one`` ("1 person", not "1 personer"), used when n is 1.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Container, Mapping
from functools import lru_cache

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for lang, texts in getattr(module, "TEXTS", {}).items():
            duplicated = merged[lang].keys() & texts.keys()
            if duplicated:
                raise RuntimeError(f"text keys defined twice: {sorted(duplicated)}")
            merged[lang].update(texts)
    return merged


def normalise_language(value: str | None) -> str:
    """Map a Slack locale ('en-US', 'sv-SE') or a language code to one we have."""
    if not value:
        return DEFAULT_LANGUAGE
    code = value.split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


ONE = ".one"  # the singular form of a text with a count {n}


def singular(key: str, params: Mapping[str, object], texts: Container[str]) -> str:
    """KEY.one when the count n is 1 and texts have that form, else key."""
    return key + ONE if params.get("n") == 1 and key + ONE in texts else key


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text for key in lang (falling back to Swedish), formatted with params; its singular
    form (KEY.one) when params has n == 1 and the text has one."""
    catalogue = _catalogue()
    key = singular(key, params, catalogue[DEFAULT_LANGUAGE])
    template = catalogue.get(lang, {}).get(key) or catalogue[DEFAULT_LANGUAGE].get(key)
    if template is None:
        raise KeyError(f"no text for {key!r}")
    return template.format(**params) if params else template
