"""The documentation's charts, parsed back as images: their size, and bars whose areas are in
proportion to the counts they draw; the font's letters; ticks and label wrapping."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from PIL import Image

from bot.workshop import chart_canvas, charts
from bot.workshop.chart_canvas import PALETTE, font, ticks, wrap
from bot.workshop.feedback import FeedbackResults
from bot.workshop.report_data import AreaReport, DayReport, GroupReport, Member


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def pixels(png: bytes) -> tuple[Image.Image, Counter[tuple[int, int, int]]]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    image = image.convert("RGB")
    return image, Counter({colour: n for n, colour in image.getcolors(maxcolors=1 << 20)})  # type: ignore[union-attr]


def area(counts: Counter[tuple[int, int, int]], colour: str) -> int:
    """Pixels of exactly that colour, a bar's or a legend swatch's (a swatch is 28 x 20; text
    drawn smooth can leave a few grey pixels of any shade)."""
    n = counts[rgb(colour)]
    return n if n > 300 else 0


def report(example, chosen: list[tuple[int, int, int]], members: list[list[str]],
           feedback: dict[int, int] | None = None) -> DayReport:  # fmt: skip
    groups = [g for a in example.focus_areas for g in a.groups][: len(chosen)]
    reports = [
        GroupReport(group, [Member(f"P{n}", org, 1) for n, org in enumerate(orgs)], {}, c)
        for group, c, orgs in zip(groups, chosen, members, strict=True)
    ]
    organisations = Counter(org for orgs in members for org in orgs).most_common()
    results = FeedbackResults(counts=feedback) if feedback else FeedbackResults()
    return DayReport(example, sum(map(len, members)), 0, 0, organisations,
                     [AreaReport(example.focus_areas[0], reports)], results)  # fmt: skip


def test_choices_stack_first_second_third_choice_in_proportion(example):
    png = charts.choices_chart(report(example, [(20, 10, 0), (0, 0, 5)], [["A"], []]))
    image, counts = pixels(png)
    assert image.size == (800 * chart_canvas.SCALE, 440 * chart_canvas.SCALE)
    first, second, third = (area(counts, PALETTE[rank]) for rank in range(3))
    assert first / second == pytest.approx(2, rel=0.05)
    assert third / second == pytest.approx(0.5, rel=0.05)
    assert area(counts, PALETTE[3]) == 0  # three ranks, no fourth colour


def test_organisations_show_the_six_largest_and_the_rest_together(example):
    orgs = [f"Org {n}" for n in range(8)]
    png = charts.organisation_chart(report(example, [(1, 0, 0), (1, 0, 0), (0, 0, 0)],
                                           [orgs * 2, orgs, []]))  # fmt: skip
    _, counts = pixels(png)
    assert all(area(counts, PALETTE[n]) for n in range(7))  # six organisations and "other"
    assert area(counts, PALETTE[7]) == 0
    # "other" holds two organisations: twice the bar of one
    one = area(counts, PALETTE[0])
    assert area(counts, PALETTE[6]) == pytest.approx(2 * one, rel=0.05)


def column_heights(image: Image.Image, colour: str) -> list[int]:
    """The height of each upright bar of that colour, left to right (at each bar's middle)."""
    target = rgb(colour)
    width, height = image.size
    drawn = image.load()
    assert drawn is not None
    runs: list[list[int]] = []
    for x in range(width):
        hit = any(drawn[x, y] == target for y in range(0, height, 2))
        if hit and runs and runs[-1][-1] == x - 1:
            runs[-1].append(x)
        elif hit:
            runs.append([x])
    middles = [run[len(run) // 2] for run in runs if len(run) > 40]  # bars, not swatches
    return [sum(1 for y in range(height) if drawn[x, y] == target) for x in middles]


def test_feedback_bars_in_proportion_to_the_answers(example):
    png = charts.feedback_chart(report(example, [], [], {1: 0, 2: 0, 3: 2, 4: 4, 5: 8}))
    image, counts = pixels(png)
    assert image.size == (500 * chart_canvas.SCALE, 300 * chart_canvas.SCALE)
    assert image.info["dpi"] == pytest.approx((200, 200), abs=0.1)
    three, four, five = column_heights(image, PALETTE[0])  # none for 1 and 2: nobody gave them
    assert four / three == pytest.approx(2, rel=0.03) and five / three == pytest.approx(4, rel=0.03)
    assert area(counts, PALETTE[1]) == 0


def test_an_organisation_called_like_the_rest_is_not_counted_twice(example):
    orgs = ["Övriga", *(f"Org {n}" for n in range(7))]  # "Övriga": the label of the rest
    png = charts.organisation_chart(report(example, [(1, 0, 0)], [orgs + orgs[:6]]))
    _, counts = pixels(png)
    # the six largest ("Övriga" and Org 0-4, two members each), then the rest (Org 5 and 6)
    assert [bool(area(counts, PALETTE[n])) for n in range(8)] == [True] * 7 + [False]
    assert area(counts, PALETTE[6]) == pytest.approx(area(counts, PALETTE[0]), rel=0.05)


def test_a_day_without_groups_or_answers_draws_empty_charts(example):
    empty = report(example, [], [])
    for chart in (charts.choices_chart, charts.organisation_chart, charts.feedback_chart):
        image, counts = pixels(chart(empty))
        assert image.size[0] > 0 and not column_heights(image, PALETTE[0])  # no bars
        assert not any(area(counts, colour) for colour in PALETTE[3:])


def test_the_font_has_swedish_sami_greek_and_cyrillic_letters():
    face = font(11)
    missing = bytes(face.getmask("\ue000"))  # a private-use code point: the font's empty box
    for letter in "åäöÅÄÖéüáčđŋšŧžʒǯÁČĐŊŠŦŽΩλЖжїЇ–€":
        assert bytes(face.getmask(letter)) != missing, letter


def test_a_name_typed_with_a_combining_accent_is_drawn_composed():
    assert wrap("Skellefte\u0061\u030a", font(9), 300) == ["Skellefteå"]


def test_ticks_are_round_whole_numbers_past_the_top():
    assert ticks(0) == [0, 1]
    assert ticks(4) == [0, 1, 2, 3, 4]
    assert ticks(23) == [0, 5, 10, 15, 20, 25]
    assert ticks(120) == [0, 50, 100, 150]


def test_labels_wrap_to_their_width_in_the_lines_they_have():
    face = font(9)
    name = "Diskussionsgrupp 3: Sjuksköterskor – yrke och utbildning i hela länet och mer därtill"
    lines = wrap(name, face, 120)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(face.getlength(line) <= 120 * chart_canvas.SCALE for line in lines)
    assert wrap("AI", face, 120) == ["AI"]
    (one,) = wrap(name, face, 120, max_lines=1)  # a row with room for one line only
    assert one.endswith("…")
    (cut,) = wrap("Sjuksköterskeutbildningsprogrammet", face, 60)
    assert cut.endswith("…") and face.getlength(cut) <= 60 * chart_canvas.SCALE
