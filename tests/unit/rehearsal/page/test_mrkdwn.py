"""mrkdwn as Slack shows it, and text people typed never becoming markup or script."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rehearsal.page.mrkdwn import Names, plain_to_html, safe_href, to_html
from tests.support.html_safety import unsafe_parts

NAMES = Names(users={"U0001": "Anna Berg"}, channels={"C0001": "grupp-larare"})


def test_bold_italics_strike_and_code():
    out = to_html("*fet* och _kursiv_ och ~struken~ och `kod *inte fet*`")
    assert "<b>fet</b>" in out and "<i>kursiv</i>" in out and "<s>struken</s>" in out
    assert "<code>kod *inte fet*</code>" in out


def test_marks_inside_words_are_left_alone():
    assert to_html("snake_case_name och 2*3*4") == "snake_case_name och 2*3*4"


def test_links_with_and_without_labels_and_bare_urls():
    out = to_html("<https://umu.zoom.us/j/1|Zoom> och <mailto:a@b.se> och https://example.org/x.")
    assert (
        '<a href="https://umu.zoom.us/j/1" rel="noopener noreferrer" target="_blank">Zoom</a>'
        in out
    )
    assert '<a href="mailto:a@b.se"' in out
    assert '<a href="https://example.org/x"' in out and "</a>." in out


def test_mentions_are_shown_as_names():
    out = to_html("Hej <@U0001>, se <#C0001> och <#C0002|annan> och <!here>", NAMES)
    assert '<span class="mention">@Anna Berg</span>' in out
    assert '<span class="mention">#grupp-larare</span>' in out
    assert '<span class="mention">#annan</span>' in out
    assert '<span class="mention">@here</span>' in out


def test_an_unknown_mention_shows_its_id():
    assert "@U9999" in to_html("<@U9999>", NAMES)


def test_emoji_shortcodes_become_emoji_unknown_ones_stay():
    out = to_html(":white_check_mark: klart :no_such_emoji: kl. 08:30-11:45")
    assert "✅" in out and ":no_such_emoji:" in out and "08:30-11:45" in out


def test_quotes_lists_and_line_breaks():
    out = to_html("> citat\n• ett\n- två\nrad\nrad två")
    assert '<span class="quote">citat</span>' in out
    assert out.count('class="li"') == 2
    assert "rad<br>rad två" in out


def test_code_block_keeps_its_text_verbatim():
    out = to_html("```\n*a* <b>\n```")
    assert out == "<pre>*a* &lt;b&gt;\n</pre>"


def test_script_and_html_are_shown_as_text():
    out = to_html("<script>alert(1)</script> *<b>fet</b>*")
    assert "<script" not in out and "&lt;script&gt;" in out
    assert "&lt;b&gt;fet&lt;/b&gt;" in out


def test_attribute_breakout_is_shown_as_text():
    out = to_html('"><img src=x onerror=alert(1)>')
    assert "<img" not in out and "&quot;&gt;&lt;img" in out
    assert unsafe_parts(out) == []


def test_javascript_and_data_links_are_not_links():
    for target in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<x>",
        " javascript:x",
    ):
        out = to_html(f"<{target}|klicka>")
        assert "<a" not in out, out
        assert "klicka" in out
    assert safe_href("javascript:alert(1)") is None
    assert safe_href("https://x.se") == "https://x.se"


def test_a_link_cannot_break_out_of_its_attribute():
    out = to_html('<https://x.se/"onmouseover="alert(1)|x> <https://x.se|"><img onerror=alert(1)>')
    assert unsafe_parts(out) == []
    assert 'onmouseover="' not in out and "<img" not in out


def test_a_bare_url_never_swallows_a_mention():
    out = to_html("https://<@U0001> och https://x.se<https://y.se|y>", NAMES)
    assert unsafe_parts(out) == [] and '<span class="mention">@Anna Berg</span>' in out


def test_a_mention_label_cannot_carry_markup():
    out = to_html('<@U0001|<script>> <#C1|"><svg onload=alert(1)>>', NAMES)
    assert unsafe_parts(out) == []
    assert "<script" not in out and "<svg" not in out


def test_plain_text_is_escaped_and_shows_emoji():
    out = plain_to_html("<b>Hej</b> :wave:\nrad")
    assert out == '&lt;b&gt;Hej&lt;/b&gt; <span class="emoji" title=":wave:">👋</span><br>rad'


def test_placeholders_in_the_input_do_not_pull_in_other_fragments():
    out = to_html("\x000\x00 `kod` <https://x.se|länk>")
    assert out.count("<code>") == 1 and out.count("<a ") == 1


PIECES = list("<>\"'&*_~`:|@#!/\\ \nabcjsvU0=;()") + [
    "javascript:",
    "https://",
    "<script>",
    "onerror=",
    "<@U0001>",
]


@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_no_input_yields_a_tag_or_attribute_the_renderer_would_not_write(pieces):
    text = "".join(pieces)
    out = to_html(text, Names(users=NAMES.users, channels=NAMES.channels))
    assert unsafe_parts(out) == [], (text, out)
