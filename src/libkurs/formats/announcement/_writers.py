"""Write an announcement's blocks as plain text, Markdown or HTML, each escaped as it needs."""

from __future__ import annotations

import html
import re

from libkurs.formats.announcement._render import (
    Block,
    Document,
    Facts,
    Heading,
    Items,
    Paragraph,
)

__all__ = ["escape_markdown", "write_html", "write_markdown", "write_text"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))", re.MULTILINE)


def escape_markdown(text: str) -> str:
    r"""*text* with every character that Markdown would read as syntax escaped.

    >>> escape_markdown("Mer relevant än någonsin! *Nu* [2022-2025] #1")
    'Mer relevant än någonsin! \\*Nu\\* \\[2022-2025\\] \\#1'
    >>> escape_markdown("- 1. punkt")
    '\\- 1. punkt'
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def _markdown_block(block: Block) -> str:
    match block:
        case Heading(level, text):
            return f"{'#' * level} {escape_markdown(text)}"
        case Paragraph(text):
            return escape_markdown(text)
        case Facts(items):
            return "\n".join(
                f"- **{escape_markdown(label)}:** {escape_markdown(value)}"
                for label, value in items
            )
        case Items(items):
            return "\n".join(f"- {escape_markdown(item)}" for item in items)
    raise AssertionError(block)  # pragma: no cover


def write_markdown(document: Document) -> str:
    """The announcement as CommonMark."""
    blocks: list[str] = []
    if document.title is not None:
        blocks.append(f"# {escape_markdown(document.title)}")
    blocks += [_markdown_block(b) for section in document.sections for b in section]
    return "\n\n".join(blocks) + "\n"


def _text_block(block: Block) -> str:
    match block:
        case Heading(level, text):
            return f"{text}\n{('=' if level == 1 else '-') * len(text)}"
        case Paragraph(text):
            return text
        case Facts(items):
            return "\n".join(f"{label}: {value}" for label, value in items)
        case Items(items):
            return "\n".join(f"- {item}" for item in items)
    raise AssertionError(block)  # pragma: no cover


def write_text(document: Document) -> str:
    """The announcement as plain text: underlined headings, ``Label: value`` facts."""
    blocks: list[str] = []
    if document.title is not None:
        blocks.append(_text_block(Heading(1, document.title)))
    for section in document.sections:
        blocks += [_text_block(b) for b in section]
    return "\n\n".join(blocks) + "\n"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _html_block(block: Block) -> str:
    match block:
        case Heading(level, text):
            return f"<h{level}>{_esc(text)}</h{level}>"
        case Paragraph(text):
            return f"<p>{_esc(text)}</p>"
        case Facts(items):
            rows = "".join(f"\n<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in items)
            return f"<dl>{rows}\n</dl>"
        case Items(items):
            rows = "".join(f"\n<li>{_esc(item)}</li>" for item in items)
            return f"<ul>{rows}\n</ul>"
    raise AssertionError(block)  # pragma: no cover


def write_html(document: Document) -> str:
    """The announcement as an HTML fragment: one ``<article>`` per event or programme."""
    lines = [f'<div class="libkurs-announcement" lang="{_esc(document.language)}">']
    if document.title is not None:
        lines.append(f"<h1>{_esc(document.title)}</h1>")
    for section in document.sections:
        lines.append("<article>")
        lines += [_html_block(b) for b in section]
        lines.append("</article>")
    lines.append("</div>")
    return "\n".join(lines) + "\n"
