"""The inline SVG charts: what they draw, and labels that stay text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rehearsal.page.charts import bar_chart, registrations_chart, stacked_bars, timeline_strip
from tests.support.html_safety import unsafe_parts

START = datetime(2021, 3, 22, 9, tzinfo=UTC)


def test_bars_one_per_item_with_values():
    svg = bar_chart([("Lärare", 36), ("AI", 17)], title="Förstahandsval", empty="Inga data.")
    assert svg.count("<rect") == 2 and ">36</text>" in svg and ">17</text>" in svg
    assert bar_chart([], title="x", empty="Inga data.") == '<p class="muted">Inga data.</p>'


def test_stacked_bars_split_by_organisation_with_a_legend():
    svg = stacked_bars(
        [("Lärare", {"Umeå universitet": 10, "Skellefteå kommun": 13})],
        title="Organisationer",
        empty="-",
    )
    assert "Lärare: Umeå universitet 10" in svg and "Skellefteå kommun" in svg
    assert ">23</text>" in svg


def test_registrations_against_seats_and_deadline():
    times = [START + timedelta(days=n) for n in range(5)]
    svg = registrations_chart(
        times, start=START, end=START + timedelta(days=10), seat_limit=4,
        deadline=START + timedelta(days=8), tick_labels=[(START, "22 mars")],
        title="Anmälningar", line_label="anmälda", seats_label="platser: 4",
        deadline_label="sista dag",
    )  # fmt: skip
    assert 'class="limit"' in svg and 'class="deadline"' in svg and "anmälda: 5" in svg
    points = svg.split('<polyline points="')[1].split('"')[0].split()
    assert len(points) == 2 * len(times) + 2  # a step up per registration, from 0 to the end


def test_labels_are_escaped():
    hostile = '</text><script>alert(1)</script><text x="'
    svg = bar_chart([(hostile, 1)], title=hostile, empty="")
    svg += stacked_bars([(hostile, {hostile: 1})], title=hostile, empty="")
    assert "<script" not in svg
    assert unsafe_parts(svg) == []


def test_a_timeline_strip_marks_every_moment_and_captions_without_overlap():
    marks = [(START + timedelta(hours=n), f"moment {n}", "deadline", True) for n in range(6)]
    marks.append((START, '<script>alert("x")</script>', 'x"><script>', False))
    svg = timeline_strip(
        marks, start=START, end=START + timedelta(hours=6), tick_labels=[], title="t"
    )
    assert svg.count("<circle") == 7 and svg.count("<title>") == 8
    assert 1 <= svg.count('class="lbl"') <= 6  # captions where they fit, never on top of another
    assert "<script" not in svg and unsafe_parts(svg) == []
