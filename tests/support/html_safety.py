"""Checks that rendered HTML holds only the tags and attributes the page's renderer writes."""

from __future__ import annotations

from html.parser import HTMLParser

SAFE_TAGS = {
    "a", "b", "i", "s", "code", "pre", "span", "br", "div", "hr", "label", "svg", "rect",
    "text", "title", "line", "polyline", "circle",
}  # fmt: skip
SAFE_ATTRIBUTES = {
    "href", "rel", "target", "class", "title", "style", "x", "y", "x1", "x2", "y1", "y2",
    "width", "height", "rx", "fill", "points", "viewbox", "role", "xmlns", "text-anchor",
    "cx", "cy", "r",
}  # fmt: skip
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def unsafe_parts(markup: str) -> list[str]:
    """Every tag, attribute or link target in markup that the renderer would never write."""
    parser = _Collector()
    parser.feed(markup)
    parser.close()
    problems = []
    for tag, attrs in parser.tags:
        if tag not in SAFE_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name not in SAFE_ATTRIBUTES:
                problems.append(f"{tag}[{name}]")
            if name == "href" and not (value or "").lower().startswith(SAFE_SCHEMES):
                problems.append(f"href={value}")
    return problems
