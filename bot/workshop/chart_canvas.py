"""A small bar-chart canvas on Pillow: a title, a legend that wraps, a value axis with round
ticks and gridlines, category labels wrapped to their slot, bars and markers.

Coordinates are the pixels a chart is shown at; it is drawn at `SCALE` times that, so it stays
sharp when Word scales it. The font is DejaVu Sans cut to the scripts names are written in here
(Latin with its extensions, Sami included, combining accents, Greek, Cyrillic: `bot/workshop/fonts`,
with its licence and how it was cut); text is drawn in Unicode's composed form (NFC), so a name
typed as `a` + combining ring shows as `å`.
Pillow draws a chart in a few milliseconds and imports in a few tens; matplotlib, used before,
took half a second to import and kept 40 MB afterwards, for three bar charts.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SCALE = 2  # pixels drawn per pixel shown
FONTS = Path(__file__).with_name("fonts")
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip
INK = "#222222"
MUTED = "#555555"
GRID = "#e0e0e0"
MARGIN = 16
ELLIPSIS = "…"

Font = ImageFont.FreeTypeFont


@cache
def _font_file(name: str) -> bytes:
    return (FONTS / name).read_bytes()


def font(size: int, *, bold: bool = False) -> Font:
    """A new font object each time (a FreeType face is not shared between threads)."""
    name = "DejaVuSans-Bold-subset.ttf" if bold else "DejaVuSans-subset.ttf"
    return ImageFont.truetype(io.BytesIO(_font_file(name)), size * SCALE)


def ticks(top: float) -> list[int]:
    """Whole-number ticks from 0 past `top`: steps of 1, 2 or 5 times a power of ten, at most
    about six of them."""
    top = max(top, 1)
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(1, round(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)))
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _fit(text: str, face: Font, width: float) -> str:
    """`text`, cut with an ellipsis to `width` shown pixels."""
    text = unicodedata.normalize("NFC", text)
    if face.getlength(text) <= width * SCALE:
        return text
    while text and face.getlength(text + ELLIPSIS) > width * SCALE:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def wrap(text: str, face: Font, width: float, max_lines: int = 3) -> list[str]:
    """`text` in lines of at most `width` shown pixels, broken between words; a word too long
    for a line, or a line past `max_lines`, is cut with an ellipsis."""
    lines: list[str] = []
    for word in unicodedata.normalize("NFC", text).split():
        if lines and face.getlength(f"{lines[-1]} {word}") <= width * SCALE:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1] + " " + ELLIPSIS]
    return [_fit(line, face, width) for line in lines]


class Chart:
    """A white canvas with a title; `legend` then `BarPlot` fill it from the top down."""

    def __init__(self, width: int, height: int, title: str) -> None:
        self.width, self.height = width, height
        self.image = Image.new("RGB", (width * SCALE, height * SCALE), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.body, self.small = font(11), font(9)
        heading = font(14, bold=True)
        self.text(width / 2, 10, _fit(title, heading, width - 2 * MARGIN), heading, anchor="ma")
        self.top = 36.0  # where the next part goes

    def _xy(self, x: float, y: float) -> tuple[int, int]:
        return round(x * SCALE), round(y * SCALE)

    def text(self, x: float, y: float, text: str, face: Font, *, anchor: str = "la",
             fill: str = INK) -> None:  # fmt: skip
        self.draw.text(self._xy(x, y), unicodedata.normalize("NFC", text), font=face,
                       anchor=anchor, fill=fill)  # fmt: skip

    def box(self, left: float, top: float, right: float, bottom: float, colour: str) -> None:
        x0, y0 = self._xy(min(left, right), min(top, bottom))
        x1, y1 = self._xy(max(left, right), max(top, bottom))
        if x1 > x0 and y1 > y0:
            self.draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=colour)

    def line(self, x0: float, y0: float, x1: float, y1: float, colour: str, width: float) -> None:
        self.draw.line((*self._xy(x0, y0), *self._xy(x1, y1)), fill=colour,
                       width=max(1, round(width * SCALE)))  # fmt: skip

    def legend(self, entries: Sequence[tuple[str, str, bool]]) -> None:
        """(label, colour, is a marker line rather than a bar) per entry, in rows that wrap."""
        x, y, row = float(MARGIN), self.top, 16.0
        for label, colour, marker in entries:
            label = _fit(label, self.small, self.width / 2)
            width = 14 + 5 + self.small.getlength(label) / SCALE + 14
            if x > MARGIN and x + width > self.width - MARGIN:
                x, y = float(MARGIN), y + row
            if marker:
                self.line(x, y + 6, x + 14, y + 6, INK, 2)
            else:
                self.box(x, y + 1, x + 14, y + 11, colour)
            self.text(x + 19, y + 6, label, self.small, anchor="lm")
            x += width
        self.top = y + row + 6

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG", dpi=(100 * SCALE, 100 * SCALE))
        return buffer.getvalue()


@dataclass
class BarPlot:
    """Bars across categories, below what the chart already holds: upright (categories along
    the bottom, values up) or lying (categories down the left, first at the top, values to the
    right). `label_space` is the room for the category labels, in shown pixels."""

    chart: Chart
    labels: Sequence[str]
    top_value: float
    upright: bool
    label_space: float
    axis_title: str = ""

    def __post_init__(self) -> None:
        c = self.chart
        self.values = ticks(self.top_value)
        self.left = 40.0 if self.upright else self.label_space
        self.right = c.width - MARGIN - (0 if self.upright else 20)
        self.bottom = c.height - (self.label_space if self.upright else 24.0)
        self.top = c.top
        self.pitch = self._extent() / max(1, len(self.labels))
        self._draw_axes()

    def _extent(self) -> float:
        return self.right - self.left if self.upright else self.bottom - self.top

    def at(self, value: float) -> float:
        """The pixel of a value along the value axis."""
        share = value / self.values[-1]
        if self.upright:
            return self.bottom - share * (self.bottom - self.top)
        return self.left + share * (self.right - self.left)

    def slot(self, index: int) -> tuple[float, float]:
        """The middle of a category's slot, and the half-thickness of its bar."""
        start = self.left if self.upright else self.top
        return start + self.pitch * (index + 0.5), self.pitch * 0.35

    def _draw_axes(self) -> None:
        c = self.chart
        for value in self.values:
            p = self.at(value)
            if self.upright:
                c.line(self.left, p, self.right, p, GRID, 1)
                c.text(self.left - 5, p, str(value), c.small, anchor="rm", fill=MUTED)
            else:
                c.line(p, self.top, p, self.bottom, GRID, 1)
                c.text(p, self.bottom + 4, str(value), c.small, anchor="ma", fill=MUTED)
        for index, label in enumerate(self.labels):
            middle, _ = self.slot(index)
            if self.upright:
                lines = wrap(label, c.small, self.pitch - 6)
                for n, line in enumerate(lines):
                    c.text(middle, self.bottom + 5 + 12 * n, line, c.small, anchor="ma")
            else:  # as many lines as the row has room for
                lines = wrap(label, c.small, self.label_space - 12, max(1, int(self.pitch // 12)))
                first = middle - 6 * (len(lines) - 1)
                for n, line in enumerate(lines):
                    c.text(self.left - 6, first + 12 * n, line, c.small, anchor="rm")
        if self.upright:
            c.line(self.left, self.bottom, self.right, self.bottom, INK, 1)
            if self.axis_title:
                c.text((self.left + self.right) / 2, c.height - 6, self.axis_title, c.body,
                       anchor="md")  # fmt: skip
        else:
            c.line(self.left, self.top, self.left, self.bottom, INK, 1)

    def bar(self, index: int, start: float, end: float, colour: str) -> None:
        """A bar (or a bar's part, when stacked) from `start` to `end` along the value axis."""
        middle, half = self.slot(index)
        if self.upright:
            self.chart.box(middle - half, self.at(start), middle + half, self.at(end), colour)
        else:
            self.chart.box(self.at(start), middle - half, self.at(end), middle + half, colour)

    def marker(self, index: int, value: float) -> None:
        """A line across the category's bar at `value`, a little wider than the bar."""
        middle, half = self.slot(index)
        p = self.at(value)
        if self.upright:
            self.chart.line(middle - half * 1.25, p, middle + half * 1.25, p, INK, 2)
        else:
            self.chart.line(p, middle - half * 1.25, p, middle + half * 1.25, INK, 2)

    def note(self, index: int, value: float, text: str) -> None:
        """A small number just past the end of a bar."""
        middle, _ = self.slot(index)
        c = self.chart
        if self.upright:
            c.text(middle, self.at(value) - 3, text, c.small, anchor="md", fill=MUTED)
        else:
            c.text(self.at(value) + 4, middle, text, c.small, anchor="lm", fill=MUTED)
