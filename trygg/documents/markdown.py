"""The safe rich-text subset: Markdown in, document blocks out.

Supported: paragraphs, bullet and numbered lists (nested), **bold**, *italic* and ^^underline^^ (mistune's
"insert" plugin; the reference report underlines its sub-headings inside comments). Everything else is
reduced to plain text: headings become bold paragraphs, links their text with the address in brackets,
code its literal text. Raw HTML is never interpreted: `<script>` stays the visible text "<script>" in a Run,
and every renderer escapes Run text.
"""

from __future__ import annotations

import html
import re
from typing import Any

import mistune

from .model import Block, BulletList, Figure, Legend, ListItem, Paragraph, Run, StatusTable, Table
from .walk import clean_text

# AST mode: mistune returns tokens, so no HTML is ever produced (or needs sanitising) here.
_parse = mistune.create_markdown(renderer=None, plugins=["insert"])

# CommonMark decodes only entities that end with ";" ("AT&T" and "&para" stay as typed).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

Token = dict[str, Any]


def parse_markdown(text: str) -> list[Block]:
    """Turn user-written Markdown into document blocks. Never raises on odd input."""
    if not text or not text.strip():
        return []
    tokens = _parse(clean_text(text).replace("\r\n", "\n").replace("\r", "\n"))
    return _blocks(tokens)


def runs_text(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


def to_plain_text(blocks: list[Block]) -> str:
    """The text of blocks without markup, one paragraph or list item a line (for search and tests)."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(runs_text(block.runs))
        elif isinstance(block, BulletList):
            _list_lines(block.items, block.ordered, block.start, 0, lines)
        elif isinstance(block, Legend):
            lines.extend(entry.text for entry in block.entries)
        elif isinstance(block, StatusTable):
            lines.append("\t".join(block.headers))
            for row in block.rows:
                lines.append(" ".join(filter(None, [row.symbol_label, runs_text(row.title), row.marker])))
                lines.append(to_plain_text(row.comment))
        elif isinstance(block, Table):
            lines.extend(filter(None, [block.caption, "\t".join(block.headers)]))
            lines.extend("\t".join(row) for row in block.rows)
        elif isinstance(block, Figure):
            lines.extend(filter(None, [block.caption, block.source]))
    return "\n".join(lines)


def _list_lines(items: list[ListItem], ordered: bool, start: int, depth: int, lines: list[str]) -> None:
    for index, item in enumerate(items, start=start):
        bullet = f"{index}." if ordered else "-"
        lines.append(f"{'  ' * depth}{bullet} {runs_text(item.runs)}")
        _list_lines(item.children, item.children_ordered, 1, depth + 1, lines)


# --- tokens -> blocks ---------------------------------------------------------------------------


def _blocks(tokens: list[Token]) -> list[Block]:
    blocks: list[Block] = []
    for token in tokens:
        kind = token["type"]
        if kind in ("blank_line", "thematic_break"):
            continue
        if kind == "list":
            blocks.append(_list(token))
        elif kind == "block_quote":
            blocks.extend(_blocks(token.get("children", [])))
        else:
            runs = _block_runs(token)
            if runs:
                blocks.append(Paragraph(runs))
    return blocks


def _block_runs(token: Token) -> list[Run]:
    """The inline content of one non-list block as runs (headings bold, code and raw HTML literal)."""
    kind = token["type"]
    if kind in ("paragraph", "block_text"):
        return _inline(token.get("children", []))
    if kind == "heading":
        return _inline(token.get("children", []), bold=True)
    if kind in ("block_code", "block_html"):
        return _merge([Run(token.get("raw", "").strip("\n"))])
    if kind == "block_quote":
        return _join_runs([_block_runs(child) for child in token.get("children", [])])
    if "children" in token:
        return _inline(token["children"])
    return _merge([Run(token.get("raw", ""))])


def _list(token: Token) -> BulletList:
    attrs = token.get("attrs", {})
    items = [_list_item(child) for child in token.get("children", []) if child["type"] == "list_item"]
    return BulletList(items=items, ordered=bool(attrs.get("ordered")), start=int(attrs.get("start", 1)))


def _list_item(token: Token) -> ListItem:
    parts: list[list[Run]] = []
    children: list[ListItem] = []
    children_ordered: bool | None = None
    for child in token.get("children", []):
        if child["type"] == "blank_line":
            continue
        if child["type"] == "list":
            nested = _list(child)
            children.extend(nested.items)
            if children_ordered is None:
                children_ordered = nested.ordered
        else:
            parts.append(_block_runs(child))
    return ListItem(runs=_join_runs(parts), children=children, children_ordered=bool(children_ordered))


def _join_runs(parts: list[list[Run]]) -> list[Run]:
    """Runs of several paragraphs in one container, separated by line breaks."""
    runs: list[Run] = []
    for part in filter(None, parts):
        if runs:
            runs.append(Run("\n"))
        runs.extend(part)
    return _merge(runs)


def _inline(
    tokens: list[Token], bold: bool = False, italic: bool = False, underline: bool = False
) -> list[Run]:
    runs: list[Run] = []

    def text(value: str) -> None:
        if value:
            runs.append(Run(value, bold=bold, italic=italic, underline=underline))

    for token in tokens:
        kind = token["type"]
        children = token.get("children", [])
        if kind == "text":
            text(_ENTITY.sub(lambda m: html.unescape(m.group(0)), token["raw"]))
        elif kind in ("inline_html", "codespan"):
            text(token["raw"])  # literal: raw HTML is shown, never interpreted
        elif kind == "strong":
            runs.extend(_inline(children, True, italic, underline))
        elif kind == "emphasis":
            runs.extend(_inline(children, bold, True, underline))
        elif kind == "insert":
            runs.extend(_inline(children, bold, italic, True))
        elif kind == "link":
            label = _inline(children, bold, italic, underline)
            runs.extend(label)
            url = token.get("attrs", {}).get("url", "")
            shown = url.removeprefix("mailto:")
            if url and shown != runs_text(label):
                text(f" ({url})")
        elif kind == "image":
            runs.extend(_inline(children, bold, italic, underline))  # alt text only; nothing is fetched
        elif kind == "softbreak":
            text(" ")
        elif kind == "linebreak":
            text("\n")
        elif children:
            runs.extend(_inline(children, bold, italic, underline))
        else:
            text(token.get("raw", ""))
    return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same style, so renderers emit fewer elements."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.underline) == (run.bold, run.italic, run.underline):
            merged[-1] = Run(last.text + run.text, run.bold, run.italic, run.underline)
        else:
            merged.append(run)
    return merged
