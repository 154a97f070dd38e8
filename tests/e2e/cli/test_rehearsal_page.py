"""The page `rehearse` writes (DIR/index.html): self-contained, and showing the day as Slack did."""

from __future__ import annotations

import re
from html.parser import HTMLParser

CHANNEL = "#partnerskapsdag-skelleftea"


class _Panes(HTMLParser):
    """The text of each person's and channel's pane (data-person / data-channel)."""

    def __init__(self) -> None:
        super().__init__()
        self.panes: dict[str, list[str]] = {}
        self._stack: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr", "meta", "input", "img", "line", "rect", "polyline"):
            return
        found = dict(attrs)
        key = found.get("data-person") or found.get("data-channel")
        self._stack.append(key or (self._stack[-1] if self._stack else None))
        if key:
            self.panes[key] = []

    def handle_endtag(self, tag: str) -> None:
        if self._stack and tag not in ("br", "hr"):
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1]:
            self.panes[self._stack[-1]].append(data)


def _panes(html: str) -> dict[str, str]:
    parser = _Panes()
    parser.feed(html)
    return {key: " ".join(parts) for key, parts in parser.panes.items()}


def test_the_page_is_one_self_contained_file(sample_run):
    html = sample_run.page.read_text(encoding="utf-8")
    assert sample_run.page.stat().st_size < 5_000_000
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert not re.search(r"\ssrc\s*=", html)  # no scripts, images or frames from anywhere
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert html.count("<script>") == 1  # the page's own, allowed by its hash


def test_the_channel_shows_every_post_of_the_day(sample_run):
    html = sample_run.page.read_text(encoding="utf-8")
    channel = re.search(r'<option value="(c\d+)">' + CHANNEL + r" \((\d+)\)</option>", html)
    # reminders, morning, items, groups, and the regroup summaries (3 focus areas, 2 regroups)
    assert channel and int(channel.group(2)) == 2 + 1 + 12 + 10 + 6
    text = _panes(html)[channel.group(1)]
    assert "Om 5 min, kl. 08:15:" in text and "Incheckning" in text
    assert text.count("Partnerskapsdagsboten") == 31
    assert text.count("📝") == 6  # :memo: the regroup summaries
    assert "⏰" in text and "🔔" in text and "👥" in text  # shortcodes shown as emoji
    assert "<b>Incheckning</b>" in html  # mrkdwn bold, as Slack renders it


def test_a_participants_view_has_their_command_modal_confirmation_and_day(sample_run):
    html = sample_run.page.read_text(encoding="utf-8")
    panes = _panes(html)
    person = re.search(r'<option value="(U\d{8})">([^<(]+) \(Umeå universitet\)', html)
    assert person
    feed = panes[person.group(1)]
    assert "/anmal skelleftea-2021" in feed  # what they typed
    assert "Modal öppnas" in feed and "Förstahandsval" in feed and "Anmäl" in feed
    assert "Modalen uppdateras" in feed and "Du är anmäld" in feed  # the inbox worker's answer
    assert "Välkommen till" in feed  # the join link the day before
    assert "Tack för att du var med" in feed  # the feedback question with its buttons
    assert feed.index("/anmal skelleftea-2021") < feed.index("Du är anmäld") < feed.index("Tack")


def test_coordinators_see_their_home_tab_and_the_closing_notice(sample_run):
    html = sample_run.page.read_text(encoding="utf-8")
    feed = _panes(html)["U01JGARDEST"]
    assert "Hemfliken" in feed and "har stängt" in feed


def test_the_timeline_marks_the_moments_that_matter(sample_run):
    html = sample_run.page.read_text(encoding="utf-8")
    timeline = html.split('<section id="timeline">')[1].split("</section>")[0]
    assert timeline.count('<svg class="chart"') == 2  # the weeks before, and the day
    moments = timeline.count("<li class=") - timeline.count('<li class="date">')
    assert timeline.count("<circle ") == moments  # each moment marked on an axis
    for label in ("Anmälan öppnar", "Sista anmälningsdag: anmälan stänger",
                  "Anmälan stängd, gruppförslag till samordnarna", "Gruppindelningen publiceras",
                  "Länk och program till deltagarna", "Dagens program", "Gruppdiskussion: ",
                  "Återsamling: ", "Tack och fråga om dagen"):  # fmt: skip
        assert f"{label}" in timeline, label


def test_charts_and_summary(sample_run):
    html = sample_run.page.read_text(encoding="utf-8")
    charts = html.split('<section id="charts">')[1].split("</section>")[0]
    assert charts.count('<svg class="chart"') == 4
    assert "platser: 120" in html and "sista dag" in html
    feedback = html.split("Betyg på dagen (1–5)</h3>")[1].split("</svg>")[0]
    assert feedback.count("<rect") == 5  # scores 1..5
    answered = sum(int(v) for v in re.findall(r'class="val">(\d+)</text>', feedback))
    assert 120 // 4 <= answered <= 120 // 4 + 1  # one in four of those asked answered
    assert "anmälda 120 av 120 platser, väntelista 8" in html
    assert "Meddelanden från boten:" in html
