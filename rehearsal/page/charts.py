"""Small inline SVG charts, drawn in Python (no script, no library): every label escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

PALETTE = ["#1264a3", "#2eb67d", "#ecb22e", "#e01e5a", "#36c5f0", "#8e5ea2", "#e8912d"]
WIDTH = 640


def _svg(height: int, body: str, title: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{body}</svg>'
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", css: str = "lbl") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}">{escape(text)}</text>'
    )


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, empty: str) -> str:
    """Horizontal bars, one per (label, value)."""
    if not items:
        return f'<p class="muted">{escape(empty)}</p>'
    top = max(value for _, value in items) or 1
    row, label_w, bar_w = 26, 250, WIDTH - 250 - 50
    parts = []
    for i, (label, value) in enumerate(items):
        y = 10 + i * row
        width = bar_w * value / top
        short = label if len(label) <= 38 else label[:36] + "…"
        parts.append(_text(label_w - 8, y + 14, short, anchor="end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="16" rx="3" '
            f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(label)}: {value:g}</title></rect>'
        )
        parts.append(_text(label_w + width + 6, y + 15, f"{value:g}", css="val"))
    return _svg(20 + row * len(items), "".join(parts), title)


def stacked_bars(groups: Sequence[tuple[str, dict[str, int]]], *, title: str, empty: str) -> str:
    """One horizontal bar per group, split by category (e.g. organisation), with a legend."""
    if not groups:
        return f'<p class="muted">{escape(empty)}</p>'
    categories: list[str] = []
    for _, counts in groups:
        categories.extend(c for c in counts if c not in categories)
    top = max(sum(counts.values()) for _, counts in groups) or 1
    row, label_w, bar_w = 26, 250, WIDTH - 250 - 50
    parts = []
    for i, (label, counts) in enumerate(groups):
        y = 10 + i * row
        short = label if len(label) <= 38 else label[:36] + "…"
        parts.append(_text(label_w - 8, y + 14, short, anchor="end"))
        x = float(label_w)
        for category, n in counts.items():
            width = bar_w * n / top
            color = PALETTE[categories.index(category) % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="16" fill="{color}">'
                f"<title>{escape(label)}: {escape(category)} {n}</title></rect>"
            )
            x += width
        parts.append(_text(x + 6, y + 15, str(sum(counts.values())), css="val"))
    legend_y = 20 + row * len(groups)
    x = 10.0
    for i, category in enumerate(categories):
        parts.append(
            f'<rect x="{x:.1f}" y="{legend_y}" width="12" height="12" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        parts.append(_text(x + 16, legend_y + 11, category))
        x += 30 + 7 * len(category)
    return _svg(legend_y + 24, "".join(parts), title)


def registrations_chart(
    times: Sequence[datetime],
    *,
    start: datetime,
    end: datetime,
    seat_limit: int,
    deadline: datetime,
    tick_labels: Sequence[tuple[datetime, str]],
    title: str,
    line_label: str,
    seats_label: str,
    deadline_label: str,
) -> str:
    """Cumulative registrations as a step line, against the seat limit and the deadline."""
    height, left, right, top_pad, bottom = 260, 44, WIDTH - 16, 16, 220
    span = max((end - start).total_seconds(), 1.0)
    top = max(len(times), seat_limit, 1) * 1.1

    def x_of(moment: datetime) -> float:
        share = min(max((moment - start).total_seconds() / span, 0.0), 1.0)
        return left + (right - left) * share

    def y_of(value: float) -> float:
        return bottom - (bottom - top_pad) * value / top

    points = [f"{x_of(start):.1f},{y_of(0):.1f}"]
    for n, moment in enumerate(sorted(times), start=1):
        x = x_of(moment)
        points.append(f"{x:.1f},{y_of(n - 1):.1f}")
        points.append(f"{x:.1f},{y_of(n):.1f}")
    points.append(f"{x_of(end):.1f},{y_of(len(times)):.1f}")
    seats_y, deadline_x = y_of(seat_limit), x_of(deadline)
    parts = [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" class="axis"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{bottom}" class="axis"/>',
        f'<line x1="{left}" y1="{seats_y:.1f}" x2="{right}" y2="{seats_y:.1f}" class="limit"/>',
        _text(right - 4, seats_y - 5, seats_label, anchor="end", css="lbl limit-lbl"),
        f'<line x1="{deadline_x:.1f}" y1="{top_pad}" x2="{deadline_x:.1f}" y2="{bottom}" '
        f'class="deadline"/>',
        _text(deadline_x - 4, top_pad + 10, deadline_label, anchor="end", css="lbl deadline-lbl"),
        f'<polyline points="{" ".join(points)}" class="series"/>',
        _text(left + 6, top_pad + 10, f"{line_label}: {len(times)}", css="lbl"),
        _text(left - 6, bottom + 4, "0", anchor="end"),
        _text(left - 6, y_of(top / 1.1 * 1.0) + 4, str(round(top / 1.1)), anchor="end"),
    ]
    for moment, label in tick_labels:
        x = x_of(moment)
        parts.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" '
                     'class="axis"/>')  # fmt: skip
        parts.append(_text(x, bottom + 18, label, anchor="middle"))
    return _svg(height, "".join(parts), title)


def timeline_strip(
    marks: Sequence[tuple[datetime, str, str, bool]],
    *,
    start: datetime,
    end: datetime,
    tick_labels: Sequence[tuple[datetime, str]],
    title: str,
) -> str:
    """Moments on a time axis: (when, label, css kind, labelled?); every mark has a tooltip,
    labelled ones also a caption in the first of four rows (two above the axis, two below) where
    it does not overlap another (none if it fits nowhere)."""
    height, left, right, axis_y = 130, 16, WIDTH - 16, 65
    span = max((end - start).total_seconds(), 1.0)

    def x_of(moment: datetime) -> float:
        share = min(max((moment - start).total_seconds() / span, 0.0), 1.0)
        return left + (right - left) * share

    parts = [f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" class="axis"/>']
    for moment, label in tick_labels:
        x = x_of(moment)
        parts.append(f'<line x1="{x:.1f}" y1="{axis_y - 3}" x2="{x:.1f}" y2="{axis_y + 3}" '
                     'class="axis"/>')  # fmt: skip
        parts.append(_text(x, height - 4, label, anchor="middle", css="val"))
    rows = [[axis_y - 14, 0.0], [axis_y + 22, 0.0], [axis_y - 30, 0.0], [axis_y + 38, 0.0]]
    for moment, label, kind, labelled in marks:
        x = x_of(moment)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{axis_y}" r="5" class="mark {escape(kind, quote=True)}">'
            f"<title>{escape(label)}</title></circle>"
        )
        if not labelled:
            continue
        short = label if len(label) <= 26 else label[:24] + "…"
        width = 5.8 * len(short)  # 11px text
        anchor = "start" if x < left + width / 2 else "end" if x > right - width / 2 else "middle"
        begin = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
        row = next((r for r in rows if r[1] + 8 <= begin), None)
        if row is not None:
            parts.append(_text(x, row[0], short, anchor=anchor))
            row[1] = begin + width
    return _svg(height, "".join(parts), title)
