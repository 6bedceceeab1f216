"""HTML renderer of the document model, for the web, for download and as the source of the PDF.

The page skeleton (cover, contents, headings) is the Django template documents/document.html with
autoescaping. Blocks are rendered here in Python because a report holds thousands of them and a template
include per block would dominate the rendering time; every piece of user text passes through `escape()`.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .model import (
    Block,
    BulletList,
    Document,
    Figure,
    Legend,
    ListItem,
    Paragraph,
    Run,
    StatusRow,
    StatusTable,
    Table,
)
from .svg import prepare_svg
from .symbols import symbol_svg
from .walk import clean_text, dispatch, outline, source_line

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "documents"


@cache
def stylesheet(name: str) -> str:
    """One of our own stylesheets (document.css, print.css), read once per process."""
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def page_css() -> str:
    """The page footer "Sida N av M" in the active language, as CSS for the paged-media margin box."""
    text = gettext("Sida {page} av {pages}")
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    parts = [
        counters.get(part) or '"' + part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
        for part in re.split(r"(\{pages?\})", text)
        if part
    ]
    content = " ".join(parts)
    return (
        f'@page {{ @bottom-right {{ content: {content}; font-family: "Liberation Sans", Arial, sans-serif;'
        " font-size: 9pt; color: #444; } }"
    )


def render_html(
    doc: Document, *, standalone: bool = True, for_print: bool = False, inline_css: bool | None = None
) -> str:
    """The document as HTML: a complete page, or (standalone=False) an <article> fragment for a page that
    links documents/document.css. A complete page for the web links the static stylesheet (no <style>
    element: pages are served with a Content-Security-Policy without 'unsafe-inline'). for_print adds the
    paged-media CSS, the page-number slots in the contents and the link to the web version on the cover;
    charts become <img> elements with alt text (tagged as /Figure with /Alt in the PDF). For print the CSS
    is inlined unless inline_css=False (the PDF renderer passes it pre-parsed)."""
    if inline_css is None:
        inline_css = standalone
    renderer = _BlockRenderer(svg_as_image=for_print)
    sections = []
    for entry in outline(doc):
        section = entry.section
        sections.append(
            {
                "entry": entry,
                "tag": f"h{min(entry.level, 6)}",
                "subtitle_tag": f"h{min(entry.level + 1, 6)}",
                "subtitle": clean_text(section.subtitle),
                "body": renderer.blocks(section.blocks),
            }
        )
    css = ""
    if inline_css and for_print and standalone:
        css = stylesheet("document.css") + stylesheet("print.css") + page_css()
    context = {
        "doc": doc,
        "cover": doc.cover,
        "web_url": _web_url(doc.cover.web_url) if for_print else "",
        "sections": sections,
        "toc": [s["entry"] for s in sections] if doc.with_contents else [],
        "standalone": standalone,
        "for_print": for_print,
        "css": mark_safe(css),  # noqa: S308 - our own stylesheet files, no user input
    }
    return render_to_string("documents/document.html", context)


def _web_url(url: str) -> str:
    """The web version's address when it is an absolute http(s) URL; anything else is left out."""
    url = (url or "").strip()
    return url if url.startswith(("https://", "http://")) and not any(c.isspace() for c in url) else ""


def render_blocks_html(blocks: list[Block]) -> SafeString:
    """Blocks as an HTML fragment for web pages (e.g. a comment written in Markdown)."""
    return _BlockRenderer().blocks(blocks)


def runs_html(runs: list[Run]) -> str:
    parts = []
    for run in runs:
        text = escape(clean_text(run.text)).replace("\n", "<br>")
        if run.underline:
            text = f"<u>{text}</u>"
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        parts.append(text)
    return "".join(parts)


class _BlockRenderer:
    """Renders blocks to HTML strings; counts figures so that their SVG ids stay unique in one page."""

    def __init__(self, *, svg_as_image: bool = False) -> None:
        self.figures = 0
        self.svg_as_image = svg_as_image
        self.renderers = {
            Paragraph: self.paragraph,
            BulletList: self.bullet_list,
            Legend: self.legend,
            StatusTable: self.status_table,
            Table: self.table,
            Figure: self.figure,
        }

    def blocks(self, blocks: list[Block]) -> SafeString:
        return mark_safe("".join(dispatch(self.renderers, block) for block in blocks))  # noqa: S308 - escaped

    def paragraph(self, block: Paragraph) -> str:
        content = runs_html(block.runs)
        return f"<p>{content}</p>" if content else ""

    def bullet_list(self, block: BulletList) -> str:
        return _list_html(block.items, block.ordered, block.start)

    def legend(self, block: Legend) -> str:
        items = "".join(
            f'<li>{symbol_svg(entry.symbol)}<span class="legend-text">{escape(clean_text(entry.text))}</span></li>'
            for entry in block.entries
        )
        return f'<ul class="legend">{items}</ul>'

    def status_table(self, block: StatusTable) -> str:
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.headers)
        rows = "".join(self._status_row(row) for row in block.rows)
        return (
            f'<table class="status-table"><colgroup><col class="status-col-item"><col class="status-col-comment">'
            f"</colgroup><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        )

    def _status_row(self, row: StatusRow) -> str:
        # The symbol is an image named by the status (what screen readers announce). The status is also
        # printed in words under the title, hidden from screen readers to avoid hearing it twice: colour
        # alone must not tell a green check from a red one (WCAG 1.4.1), and the PDF text layer gets it.
        label = clean_text(row.symbol_label)
        status = f'<span class="status-label" aria-hidden="true">{escape(label)}</span>' if label else ""
        marker = f'<span class="badge">{escape(clean_text(row.marker))}</span>' if row.marker else ""
        return (
            f'<tr><th scope="row" class="status-item"><div class="status-head"><span class="status-symbol">'
            f"{symbol_svg(row.symbol, label or None)}</span>"
            f'<span class="status-title">{runs_html(row.title)}</span>{status}{marker}</div></th>'
            f'<td class="status-comment">{self.blocks(row.comment)}</td></tr>'
        )

    def table(self, block: Table) -> str:
        numeric = set(block.numeric_columns)

        def cls(index: int) -> str:
            return ' class="num"' if index in numeric else ""

        caption = f"<caption>{escape(clean_text(block.caption))}</caption>" if block.caption else ""
        head = "".join(
            f'<th scope="col"{cls(i)}>{escape(clean_text(h))}</th>' for i, h in enumerate(block.headers)
        )
        body = "".join(
            "<tr>"
            + "".join(f"<td{cls(i)}>{escape(clean_text(cell))}</td>" for i, cell in enumerate(row))
            + "</tr>"
            for row in block.rows
        )
        return (
            f'<table class="data-table">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        )

    def figure(self, block: Figure) -> str:
        self.figures += 1
        alt = clean_text(block.alt or block.caption)
        picture = prepare_svg(block.svg, alt=alt, id_prefix=f"fig{self.figures}-") if block.svg else ""
        if picture and self.svg_as_image:
            # For print, an <img> with a data: URL: WeasyPrint then draws the chart with its SVG renderer
            # instead of running the chart's hundreds of style attributes through the HTML CSS cascade.
            data = base64.b64encode(picture.encode()).decode("ascii")
            picture = f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'
        if not picture:
            picture = f'<p class="figure-alt">{escape(alt)}</p>'
        source = source_line(block.source)
        source_html = f'<span class="figure-source">{escape(source)}</span>' if source else ""
        caption = (
            f'<span class="figure-caption">{escape(clean_text(block.caption))}</span>'
            if block.caption
            else ""
        )
        return f'<figure class="figure">{picture}<figcaption>{caption}{source_html}</figcaption></figure>'


def _list_html(items: list[ListItem], ordered: bool, start: int = 1) -> str:
    tag = "ol" if ordered else "ul"
    start_attr = f' start="{int(start)}"' if ordered and start != 1 else ""
    inner = "".join(
        f"<li>{runs_html(item.runs)}"
        f"{_list_html(item.children, item.children_ordered) if item.children else ''}</li>"
        for item in items
    )
    return f"<{tag}{start_attr}>{inner}</{tag}>"
