"""Block Kit as HTML, close to Slack's look: messages, modals and the Home tab.

Every text goes through mrkdwn.to_html or plain_to_html (escaped first); attributes are escaped;
images are shown by their alt text only (the page loads nothing from the network).
"""

from __future__ import annotations

import html
from typing import Any

from rehearsal.page.mrkdwn import Names, plain_to_html, to_html
from rehearsal.page.texts import tr

Block = dict[str, Any]


def text_html(obj: Any, names: Names) -> str:
    """A text object ({type: mrkdwn|plain_text, text}) or a bare string, as HTML."""
    if isinstance(obj, str):
        return to_html(obj, names)
    if not isinstance(obj, dict):
        return ""
    if obj.get("type") == "mrkdwn":
        return to_html(str(obj.get("text", "")), names)
    return plain_to_html(str(obj.get("text", "")))


def _options(element: Block) -> list[Block]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def _select(element: Block, names: Names) -> str:
    chosen = element.get("initial_option") or {}
    selected = element.get("initial_options") or ([chosen] if chosen else [])
    if selected:
        shown = ", ".join(text_html(o.get("text"), names) for o in selected)
        css = "select"
    else:
        shown = text_html(element.get("placeholder") or {"text": "…"}, names)
        css = "select placeholder"
    count = len(_options(element))
    title = f' title="{count} val"' if count else ""
    return f'<div class="{css}"{title}>{shown}<span class="caret">⌄</span></div>'


def _choices(element: Block, names: Names, kind: str) -> str:
    initial = {o.get("value") for o in element.get("initial_options") or []}
    if element.get("initial_option"):
        initial.add(element["initial_option"].get("value"))
    rows = []
    for option in _options(element):
        mark = "checked" if option.get("value") in initial else ""
        rows.append(
            f'<div class="choice"><span class="{kind} {mark}"></span>'
            f"{text_html(option.get('text'), names)}</div>"
        )
    return "".join(rows)


def element_html(element: Block, names: Names) -> str:
    """One interactive element (button, select, input, ...)."""
    kind = element.get("type", "")
    if kind == "button":
        style = html.escape(str(element.get("style", "")), quote=True)
        label = text_html(element.get("text"), names)
        url = element.get("url")
        title = f' title="{html.escape(str(url), quote=True)}"' if url else ""
        return f'<span class="button {style}"{title}>{label}</span>'
    if kind == "plain_text_input":
        value = html.escape(str(element.get("initial_value", "")))
        placeholder = text_html(element.get("placeholder"), names) if not value else ""
        css = "input multiline" if element.get("multiline") else "input"
        shown = value or f'<span class="placeholder">{placeholder}</span>'
        return f'<div class="{css}">{shown}</div>'
    if kind in ("static_select", "external_select", "multi_static_select", "overflow"):
        return _select(element, names)
    if kind in ("users_select", "conversations_select", "channels_select"):
        picked = element.get("initial_user") or element.get("initial_conversation") or ""
        shown = f"@{html.escape(names.users.get(picked, picked))}" if picked else "…"
        return f'<div class="select">{shown}<span class="caret">⌄</span></div>'
    if kind == "checkboxes":
        return _choices(element, names, "checkbox")
    if kind == "radio_buttons":
        return _choices(element, names, "radio")
    if kind in ("datepicker", "timepicker", "datetimepicker"):
        value = element.get("initial_date") or element.get("initial_time") or "…"
        return f'<div class="select">📅 {html.escape(str(value))}</div>'
    if kind == "image":
        return f'<span class="image-alt">[{html.escape(str(element.get("alt_text", "")))}]</span>'
    if kind in ("mrkdwn", "plain_text"):
        return text_html(element, names)
    return f'<span class="unknown">[{html.escape(str(kind))}]</span>'


def _rich_text(block: Block) -> str:
    """rich_text: its text runs, escaped (enough to read what was said)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":
                parts.append(html.escape(str(node.get("text", ""))))
            for child in node.get("elements") or []:
                walk(child)

    walk(block)
    return f'<div class="block">{"".join(parts)}</div>'


def block_html(block: Block, names: Names) -> str:
    """One layout block."""
    kind = block.get("type")
    if kind == "section":
        body = text_html(block.get("text"), names) if block.get("text") else ""
        fields = "".join(
            f'<div class="field">{text_html(f, names)}</div>' for f in block.get("fields") or []
        )
        fields_html = f'<div class="fields">{fields}</div>' if fields else ""
        accessory = block.get("accessory")
        side = f'<div class="accessory">{element_html(accessory, names)}</div>' if accessory else ""
        return f'<div class="block section"><div class="text">{body}{fields_html}</div>{side}</div>'
    if kind == "header":
        return f'<div class="block header">{text_html(block.get("text"), names)}</div>'
    if kind == "divider":
        return '<hr class="block divider">'
    if kind == "context":
        items = "".join(
            f"<span>{element_html(e, names)}</span>" for e in block.get("elements") or []
        )
        return f'<div class="block context">{items}</div>'
    if kind == "actions":
        items = "".join(element_html(e, names) for e in block.get("elements") or [])
        return f'<div class="block actions">{items}</div>'
    if kind == "input":
        word = tr("blocks.optional", names.lang)
        optional = f" <span class='optional'>{word}</span>" if block.get("optional") else ""
        hint = block.get("hint")
        hint_html = f'<div class="hint">{text_html(hint, names)}</div>' if hint else ""
        return (
            f'<div class="block input-block"><label>{text_html(block.get("label"), names)}'
            f"{optional}</label>{element_html(block.get('element') or {}, names)}{hint_html}</div>"
        )
    if kind == "image":
        alt = html.escape(str(block.get("alt_text", "")))
        return f'<div class="block image-alt">[{alt}]</div>'
    if kind == "rich_text":
        return _rich_text(block)
    return f'<div class="block unknown">[{html.escape(str(kind))}]</div>'


def blocks_html(blocks: list[Block] | None, names: Names) -> str:
    """A list of blocks, in order."""
    return "".join(block_html(b, names) for b in blocks or [] if isinstance(b, dict))


def message_body(text: str, blocks: list[Block] | None, names: Names) -> str:
    """What Slack shows for a message: its blocks if it has them, else its text."""
    return (
        blocks_html(blocks, names) if blocks else f'<div class="block">{to_html(text, names)}</div>'
    )


def modal_html(view: Block, names: Names) -> str:
    """A modal as a dialog: title bar, blocks, Close and Submit."""
    title = text_html(view.get("title"), names)
    close = view.get("close")
    submit = view.get("submit")
    close_html = f'<span class="button">{text_html(close, names)}</span>' if close else ""
    submit_html = (
        f'<span class="button primary">{text_html(submit, names)}</span>' if submit else ""
    )
    footer = f'<div class="modal-foot">{close_html}{submit_html}</div>' if close or submit else ""
    return (
        f'<div class="modal"><div class="modal-head">{title}<span class="x">✕</span></div>'
        f'<div class="modal-body">{blocks_html(view.get("blocks"), names)}</div>{footer}</div>'
    )


def home_html(view: Block, names: Names) -> str:
    """The Home tab: the app's blocks on a full-width page."""
    return f'<div class="home">{blocks_html(view.get("blocks"), names)}</div>'
