"""Block Kit as the page draws it: close to Slack's look, and never a way in for markup."""

from __future__ import annotations

from rehearsal.page.blocks import blocks_html, home_html, message_body, modal_html
from rehearsal.page.mrkdwn import Names
from tests.support.html_safety import unsafe_parts

NAMES = Names(users={"U0001": "Anna Berg"})
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def _text(kind: str, text: str) -> dict:
    return {"type": kind, "text": text}


def test_a_modal_reads_like_a_modal():
    view = {
        "type": "modal",
        "title": _text("plain_text", "Anmälan"),
        "submit": _text("plain_text", "Skicka"),
        "close": _text("plain_text", "Avbryt"),
        "blocks": [
            {"type": "header", "text": _text("plain_text", "Partnerskapsdag")},
            {"type": "section", "text": _text("mrkdwn", "*Torsdag* 22 april")},
            {"type": "divider"},
            {
                "type": "input",
                "label": _text("plain_text", "Namn"),
                "element": {"type": "plain_text_input", "initial_value": "Anna Berg"},
            },
            {
                "type": "input",
                "optional": True,
                "label": _text("plain_text", "Kommentar"),
                "element": {
                    "type": "plain_text_input",
                    "multiline": True,
                    "placeholder": _text("plain_text", "Skriv här"),
                },
            },
            {
                "type": "input",
                "label": _text("plain_text", "Förstahandsval"),
                "element": {
                    "type": "static_select",
                    "placeholder": _text("plain_text", "Välj en grupp"),
                    "option_groups": [
                        {
                            "label": _text("plain_text", "Kompetens"),
                            "options": [{"text": _text("plain_text", "Lärare"), "value": "l"}],
                        }
                    ],
                },
            },
            {"type": "context", "elements": [_text("mrkdwn", "Rangordna _grupperna_")]},
        ],
    }
    out = modal_html(view, NAMES)
    assert '<div class="modal-head">Anmälan' in out
    assert '<div class="block header">Partnerskapsdag</div>' in out
    assert "<b>Torsdag</b>" in out and '<hr class="block divider">' in out
    assert '<div class="input">Anna Berg</div>' in out
    assert '<div class="input multiline"><span class="placeholder">Skriv här</span></div>' in out
    assert "(valfritt)" in out
    assert 'class="select placeholder" title="1 val">Välj en grupp' in out
    assert '<div class="block context"><span>Rangordna <i>grupperna</i></span></div>' in out
    assert '<span class="button">Avbryt</span><span class="button primary">Skicka</span>' in out
    assert unsafe_parts(out) == []


def test_english_words_the_renderer_adds():
    block = {"type": "input", "optional": True, "label": _text("plain_text", "Comment"),
             "element": {"type": "plain_text_input"}}  # fmt: skip
    assert "(optional)" in blocks_html([block], Names(lang="en"))


def test_sections_with_fields_accessory_and_buttons():
    blocks = [
        {
            "type": "section",
            "text": _text("mrkdwn", "Grupp <@U0001>"),
            "fields": [_text("mrkdwn", "*Anmälda*\n120"), _text("plain_text", "Väntelista 8")],
            "accessory": {"type": "button", "text": _text("plain_text", "Visa"), "value": "x"},
        },
        {
            "type": "actions",
            "elements": [
                {"type": "button", "text": _text("plain_text", "1"), "style": "primary"},
                {"type": "button", "text": _text("plain_text", "Nej"), "style": "danger"},
                {
                    "type": "static_select",
                    "initial_option": {"text": _text("plain_text", "Lärare"), "value": "l"},
                    "options": [{"text": _text("plain_text", "Lärare"), "value": "l"}],
                },
            ],
        },
        {
            "type": "input",
            "label": _text("plain_text", "Vem"),
            "element": {
                "type": "checkboxes",
                "initial_options": [{"text": _text("plain_text", "Alla"), "value": "a"}],
                "options": [
                    {"text": _text("plain_text", "Alla"), "value": "a"},
                    {"text": _text("plain_text", "Väntelistan"), "value": "w"},
                ],
            },
        },
    ]
    out = blocks_html(blocks, NAMES)
    assert '<span class="mention">@Anna Berg</span>' in out
    assert '<div class="fields"><div class="field"><b>Anmälda</b><br>120</div>' in out
    assert '<div class="accessory"><span class="button ">Visa</span></div>' in out
    assert '<span class="button primary">1</span>' in out
    assert '<span class="button danger">Nej</span>' in out
    assert '<div class="select" title="1 val">Lärare' in out
    assert out.count('class="checkbox checked"') == 1 and out.count('class="checkbox "') == 1
    assert unsafe_parts(out) == []


def test_a_home_tab_and_a_message_without_blocks():
    assert home_html({"type": "home", "blocks": [{"type": "divider"}]}, NAMES).startswith(
        '<div class="home"><hr'
    )
    assert message_body("*Hej*", None, NAMES) == '<div class="block"><b>Hej</b></div>'


def test_hostile_text_anywhere_stays_text():
    hostile_text = _text("plain_text", HOSTILE)
    view = {
        "title": hostile_text,
        "submit": hostile_text,
        "blocks": [
            {"type": "header", "text": hostile_text},
            {"type": "section", "text": _text("mrkdwn", HOSTILE), "fields": [hostile_text]},
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": hostile_text,
                        "style": '"><script>',
                        "url": 'javascript:alert(1)"><script>',
                    },  # fmt: skip
                    {
                        "type": "static_select",
                        "placeholder": hostile_text,
                        "options": [{"text": hostile_text, "value": HOSTILE}],
                    },  # fmt: skip
                    {"type": '"><script>alert(1)</script>'},
                ],
            },
            {
                "type": "input",
                "label": hostile_text,
                "hint": hostile_text,
                "element": {"type": "plain_text_input", "initial_value": HOSTILE},
            },  # fmt: skip
            {"type": "image", "image_url": "https://evil.example/x.png", "alt_text": HOSTILE},
            {
                "type": "context",
                "elements": [{"type": "image", "image_url": "x", "alt_text": HOSTILE}],
            },
            {"type": '<script>alert("block")</script>'},
            {
                "type": "rich_text",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": HOSTILE}]}
                ],
            },  # fmt: skip
        ],
    }
    out = modal_html(view, NAMES)
    assert unsafe_parts(out) == []
    assert (
        "<script" not in out and "<img" not in out and "javascript:" not in out.split("title=")[0]
    )
    assert "evil.example" not in out  # images are never loaded, only their alt text shown
    assert "&lt;script&gt;" in out
