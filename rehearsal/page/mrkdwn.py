"""Slack's mrkdwn as HTML, safe for text anyone typed.

Everything is html-escaped first; only then are the formatting marks (bold, italics, strike,
code, quotes, bullets) turned into tags the renderer writes itself. Slack's angle-bracket forms
(<@U123>, <#C123|name>, <https://x|text>, <!here>) are cut out before escaping and rendered on
their own: a link keeps only http(s) and mailto targets, anything else (javascript:, data:) is
shown as plain text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rehearsal.page.emoji import emoji

_ANGLE = re.compile(r"<([^<>\n]{1,2000})>")
_CODE_BLOCK = re.compile(r"```\n?(.*?)```", re.S)
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])")
_EMOJI = re.compile(r":([a-z0-9_+\-]{1,40}):")
# not across a kept fragment (\x00n\x00): a mention after "https://" stays a mention
_BARE_URL = re.compile(r"(?<![\w/])(https?://[^\s<>\"'\x00`]+[^\s<>\"'\x00`.,;:!?)*_~])")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


@dataclass
class Names:
    """Who and what mentions point to: user id -> name, channel id -> name."""

    users: Mapping[str, str] = field(default_factory=dict)
    channels: Mapping[str, str] = field(default_factory=dict)
    lang: str = "sv"  # the page's language (words the renderer adds, e.g. "optional")
    # text -> HTML already rendered with these names (a day repeats the same texts many times)
    rendered: dict[str, str] = field(default_factory=dict, repr=False, compare=False)


def safe_href(url: str) -> str | None:
    """The URL if it is one a page may link to (http, https, mailto), else None."""
    cleaned = url.strip()
    return cleaned if cleaned.lower().startswith(_SAFE_SCHEMES) else None


def _link(url: str, label: str) -> str:
    href = safe_href(url)
    if href is None:
        return html.escape(label or url)
    return (
        f'<a href="{html.escape(href, quote=True)}" rel="noopener noreferrer" '
        f'target="_blank">{html.escape(label or url)}</a>'
    )


def _angle(inner: str, names: Names) -> str:
    """One <...> form of Slack's message syntax, as HTML."""
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        user = target[1:]
        name = label or names.users.get(user, user)
        return f'<span class="mention">@{html.escape(name)}</span>'
    if target.startswith("#"):
        channel = target[1:]
        name = label or names.channels.get(channel, channel)
        return f'<span class="mention">#{html.escape(name.lstrip("#"))}</span>'
    if target.startswith("!"):
        word = label or target[1:].split("^")[0]
        return f'<span class="mention">@{html.escape(word)}</span>'
    if safe_href(target) is not None:
        return _link(target, label)
    return html.escape(f"<{inner}>")  # not Slack syntax: the text as typed


def _emoji(match: re.Match[str]) -> str:
    char = emoji(match.group(1))
    if char is None:
        return match.group(0)
    return f'<span class="emoji" title=":{match.group(1)}:">{char}</span>'


def _inline(escaped: str) -> str:
    """Bold, italics, strike and emoji on already escaped text."""
    text = _BOLD.sub(r"<b>\1</b>", escaped)
    text = _ITALIC.sub(r"<i>\1</i>", text)
    text = _STRIKE.sub(r"<s>\1</s>", text)
    return _EMOJI.sub(_emoji, text)


def _lines(escaped: str) -> str:
    """Quotes and bullets, line by line; other lines joined with <br>."""
    out: list[str] = []
    for line in escaped.split("\n"):
        if line.startswith("&gt; ") or line == "&gt;":
            out.append(f'<span class="quote">{line[5:]}</span>')
        elif re.match(r"^\s*[•\-◦▪] ", line):
            indent = len(line) - len(line.lstrip())
            body = line.lstrip()[2:]
            out.append(f'<span class="li" style="margin-left:{min(indent, 8)}ch">• {body}</span>')
        else:
            out.append(line + "<br>")
    joined = "".join(out)
    return joined[:-4] if joined.endswith("<br>") else joined


def to_html(text: str, names: Names | None = None) -> str:
    """A mrkdwn text as HTML (no markup of the input survives)."""
    names = names or Names()
    done = names.rendered.get(text)
    if done is None:
        done = names.rendered[text] = _render(text, names)
    return done


def _render(text: str, names: Names) -> str:
    kept: list[str] = []

    def keep(fragment: str) -> str:
        kept.append(fragment)
        return f"\x00{len(kept) - 1}\x00"

    source = (text or "").replace("\x00", "")
    source = _CODE_BLOCK.sub(lambda m: keep(f"<pre>{html.escape(m.group(1))}</pre>"), source)
    source = _CODE.sub(lambda m: keep(f"<code>{html.escape(m.group(1))}</code>"), source)
    source = _ANGLE.sub(lambda m: keep(_angle(m.group(1), names)), source)
    source = _BARE_URL.sub(lambda m: keep(_link(m.group(1), "")), source)  # before any marks
    rendered = _lines(_inline(html.escape(source, quote=True)))
    # a kept fragment may hold another's placeholder (a link inside a code span never does)
    for _ in range(2):
        rendered = _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], rendered)
    return rendered


def plain_to_html(text: str) -> str:
    """A plain_text object: escaped, emoji shown, line breaks kept."""
    return _EMOJI.sub(_emoji, html.escape(text or "", quote=True)).replace("\n", "<br>")
