"""The terminal's timeline shows Slack's angle-bracket forms as a person reads them."""

from __future__ import annotations

from rehearsal.output import plain

NAMES = {"U0001": "Maria Holmgren", "UP0000001": "Alex Berg (partner)"}


def test_mentions_show_names_channels_their_names_and_links_their_words():
    text = "Grupp: <@U0001>, <@UP0000001> i <#C0001|allmänt>; <!here> se <https://umu.se/x|sidan>"
    assert plain(text, NAMES) == (
        "Grupp: @Maria Holmgren, @Alex Berg i #allmänt; @here se sidan (https://umu.se/x)"
    )


def test_what_it_cannot_name_stays_readable():
    assert plain("<@U9999> <#C0002> <https://umu.se> <!channel>", NAMES) == (
        "@U9999 #C0002 https://umu.se @channel"
    )
    assert plain("a < b > c and *bold*", NAMES) == "a < b > c and *bold*"


def test_user_groups_dates_and_mail_links_read_as_slack_shows_them():
    assert plain("Kontakt: <!subteam^S0123>, <!subteam^S0123|@samordnare>", NAMES) == (
        "Kontakt: @S0123, @samordnare"
    )
    assert plain("<!date^1618900000^{date_short}|18 april> kl. 9", NAMES) == "18 april kl. 9"
    assert plain("<mailto:ida@umu.se|ida@umu.se> <mailto:ida@umu.se>", NAMES) == (
        "ida@umu.se ida@umu.se"
    )
    assert plain("<mailto:ida@umu.se|Ida>", NAMES) == "Ida (ida@umu.se)"
