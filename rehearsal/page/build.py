"""index.html for a finished rehearsal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rehearsal.page.collect import collect
from rehearsal.page.render import render_page

if TYPE_CHECKING:
    from rehearsal.run import Rehearsal


def build_page(rehearsal: Rehearsal, *, summary: str, files: list[str]) -> str:
    """The page showing the rehearsal's day, linking to `files` (relative to the page)."""
    return render_page(collect(rehearsal, summary=summary, files=files))
