"""The documentation's charts as PNG bytes (Pillow, `chart_canvas`): choices per group, the
organisation mix per group and the feedback distribution."""

from __future__ import annotations

from collections import Counter

from bot.i18n import t
from bot.workshop.chart_canvas import PALETTE, BarPlot, Chart
from bot.workshop.report_data import DayReport

TOP_ORGANISATIONS = 6  # the rest are shown together as "other"


def choices_chart(report: DayReport) -> bytes:
    """Per group: how many chose it first, second and third (stacked), and how many it got (a
    marker line)."""
    lang = report.definition.language
    groups = report.groups
    chart = Chart(800, 440, t("workshop.doc.chart.choices", lang))
    ranks = [t("workshop.doc.chart.rank", lang, n=rank + 1) for rank in range(3)]
    chart.legend([*((name, PALETTE[n], False) for n, name in enumerate(ranks)),
                  (t("workshop.doc.chart.placed", lang), "", True)])  # fmt: skip
    top = max([sum(g.chosen) for g in groups] + [len(g.members) for g in groups], default=0)
    plot = BarPlot(chart, [g.group.name for g in groups], top, upright=True, label_space=52)
    for index, group in enumerate(groups):
        start = 0
        for rank, count in enumerate(group.chosen):
            plot.bar(index, start, start + count, PALETTE[rank])
            start += count
        plot.marker(index, len(group.members))
    return chart.png()


def organisation_chart(report: DayReport) -> bytes:
    """Per group with members: its members by organisation (the largest organisations, the
    rest together), first group at the top."""
    lang = report.definition.language
    top = [name for name, _ in report.organisations[:TOP_ORGANISATIONS]]
    # the rest under None: an organisation may well be called "Övriga" itself
    keys: list[str | None] = [*top, None]
    label: dict[str | None, str] = {name: name for name in top}
    label[None] = t("workshop.doc.chart.other", lang)
    groups = [g for g in report.groups if g.members]
    counts = [
        Counter(m.organisation if m.organisation in top else None for m in g.members)
        for g in groups
    ]
    shown = [key for key in keys if any(c[key] for c in counts)]
    colour = {key: PALETTE[n % len(PALETTE)] for n, key in enumerate(shown)}
    chart = Chart(800, 440, t("workshop.doc.chart.organisations", lang))
    chart.legend([(label[key], colour[key], False) for key in shown])
    largest = max((sum(c.values()) for c in counts), default=0)
    plot = BarPlot(chart, [g.group.name for g in groups], largest, upright=False, label_space=240)
    for index, by_organisation in enumerate(counts):
        start = 0
        for key in shown:
            plot.bar(index, start, start + by_organisation[key], colour[key])
            start += by_organisation[key]
        plot.note(index, start, str(start))
    return chart.png()


def feedback_chart(report: DayReport) -> bytes:
    """How many gave each score, 1 to 5."""
    lang = report.definition.language
    counts = report.feedback.counts
    chart = Chart(500, 300, t("workshop.doc.chart.feedback", lang))
    top = max(counts.values(), default=0) * 1.1  # room for the numbers above the bars
    plot = BarPlot(chart, [str(score) for score in counts], top, upright=True, label_space=40,
                   axis_title=t("workshop.doc.chart.score", lang))  # fmt: skip
    for index, count in enumerate(counts.values()):
        plot.bar(index, 0, count, PALETTE[0])
        plot.note(index, count, str(count))
    return chart.png()
