"""The documentation's charts as PNG bytes (matplotlib, no display): choices per group, the
organisation mix per group and the feedback distribution."""

from __future__ import annotations

import io
import textwrap
from typing import Any

from bot.i18n import t
from bot.workshop.report_data import DayReport

TOP_ORGANISATIONS = 6  # the rest are shown together as "other"
DPI = 100


def load_matplotlib() -> Any:
    """matplotlib's Figure on the Agg canvas: no pyplot, no window, no global figure state
    (safe from any thread). Importing takes about a second, so it happens only when needed."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    return Figure, FigureCanvasAgg


def _figure(width: float, height: float, *, left: float = 0.1, bottom: float = 0.12) -> Any:
    figure_class, canvas_class = load_matplotlib()
    fig = figure_class(figsize=(width, height))
    canvas_class(fig)
    fig.subplots_adjust(left=left, bottom=bottom, right=0.97, top=0.9)  # fixed: no layout pass
    return fig


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _label(name: str) -> str:
    return "\n".join(textwrap.wrap(name, 22)[:3])


def choices_chart(report: DayReport) -> bytes:
    """Per group: how many chose it first, second and third (stacked), and how many it got."""
    lang = report.definition.language
    groups = report.groups
    names = [_label(g.group.name) for g in groups]
    fig = _figure(8, 4.4, bottom=0.22)
    ax = fig.add_subplot()
    bottom = [0] * len(groups)
    for rank in range(3):
        values = [g.chosen[rank] for g in groups]
        ax.bar(names, values, bottom=bottom, label=t("workshop.doc.chart.rank", lang, n=rank + 1))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.plot(names, [len(g.members) for g in groups], "k_", markersize=28, mew=2,
            label=t("workshop.doc.chart.placed", lang))  # fmt: skip
    ax.set_title(t("workshop.doc.chart.choices", lang))
    ax.legend(fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    return _png(fig)


def organisation_chart(report: DayReport) -> bytes:
    """Per group: its members by organisation (the largest organisations, the rest together)."""
    lang = report.definition.language
    top = [name for name, _ in report.organisations[:TOP_ORGANISATIONS]]
    other = t("workshop.doc.chart.other", lang)
    groups = [g for g in report.groups if g.members]
    names = [_label(g.group.name) for g in groups]
    fig = _figure(8, 4.4, left=0.3)
    ax = fig.add_subplot()
    left = [0] * len(groups)
    for organisation in [*top, other]:
        values = [
            sum(1 for m in g.members
                if (m.organisation if m.organisation in top else other) == organisation)
            for g in groups
        ]  # fmt: skip
        if any(values):
            ax.barh(names, values, left=left, label=organisation)
            left = [a + v for a, v in zip(left, values, strict=True)]
    ax.set_title(t("workshop.doc.chart.organisations", lang))
    ax.invert_yaxis()
    ax.legend(fontsize=7, loc="lower right")
    ax.tick_params(axis="y", labelsize=7)
    return _png(fig)


def feedback_chart(report: DayReport) -> bytes:
    """How many gave each score, 1 to 5."""
    lang = report.definition.language
    counts = report.feedback.counts
    fig = _figure(5, 3, bottom=0.18)
    ax = fig.add_subplot()
    ax.bar([str(s) for s in counts], list(counts.values()), color="#4C72B0")
    ax.set_title(t("workshop.doc.chart.feedback", lang))
    ax.set_xlabel(t("workshop.doc.chart.score", lang))
    return _png(fig)
