"""The rehearsal's summary in words: kinds and statuses named in the event's language, groups by
name in the event's order, and a kind or group without words still shown, not dropped."""

from __future__ import annotations

from collections import Counter

from bot.schedule.timeline import Summary
from rehearsal.output import summary_lines


def test_counts_are_named_in_swedish_in_order_of_first_post(example):
    counted = Summary(
        kinds=Counter({"confirmation": 3, "reminder": 2, "something-new": 1}),
        statuses=Counter({"sent": 5, "failed": 1}),
        groups=Counter({"ai": 2, "larare": 1}),
    )

    assert summary_lines(counted, example, "sv") == [
        # a kind without words yet shows its key, not nothing
        "Utskick per slag, i den ordning de först gick ut: Bekräftelser 3; Påminnelse 2; "
        "something-new 1",
        "Utskickens status (meddelanden, kalenderfiler och e-post): skickade 5; misslyckades 1",
        "Publicerad gruppindelning, deltagare per grupp: Diskussionsgrupp 1: Lärare – yrke och "
        "utbildning 1; Artificiell Intelligens (AI) 2",  # the event's order
    ]


def test_english_and_nothing_published(example):
    counted = Summary(kinds=Counter(), statuses=Counter(), groups=Counter())

    assert summary_lines(counted, example, "en") == [
        "Posts per kind, in the order they first went out: –",
        "The posts' status (messages, calendar files and e-mail): –",
        "No groups published.",
    ]


def test_a_group_no_longer_in_the_event_file_is_still_counted(example):
    counted = Summary(kinds=Counter(), statuses=Counter({"unknown": 1}),
                      groups=Counter({"gone": 4}))  # fmt: skip

    lines = summary_lines(counted, example, "sv")

    assert lines[1:] == [
        "Utskickens status (meddelanden, kalenderfiler och e-post): okänt om de kom fram 1",
        "Publicerad gruppindelning, deltagare per grupp: gone 4",
    ]
