"""PDF renderer: the print HTML of the document through WeasyPrint.

Paged media (A4, cover page, contents with page numbers, "Sida N av M", bookmarks from h1–h3, repeated
table headers) is all CSS in static/documents/print.css. Nothing is ever fetched: the URL fetcher only
accepts data: URLs, and fonts are the system's (fontconfig).
"""

from __future__ import annotations

import threading
from functools import cache

from django.utils.translation import get_language
from weasyprint import CSS, HTML, default_url_fetcher
from weasyprint.text.fonts import FontConfiguration

from .html import page_css, render_html, stylesheet
from .model import Document

# WeasyPrint's font configuration wraps a fontconfig/Pango font map that is costly to build and not
# documented as thread-safe: build it once per process and render one PDF at a time.
_lock = threading.Lock()


class NetworkAccessRefused(ValueError):
    pass


def refuse_network(url: str, *args, **kwargs) -> dict:
    """URL fetcher that resolves data: URLs in memory and refuses everything else (http, file, …)."""
    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise NetworkAccessRefused(f"PDF rendering does not fetch resources: {url[:100]}")


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheets(language: str) -> tuple[CSS, ...]:
    """Parsed once per language (the footer text is translated)."""
    css = stylesheet("document.css") + stylesheet("print.css") + page_css()
    return (CSS(string=css, font_config=_font_config(), url_fetcher=refuse_network),)


def render_pdf(doc: Document) -> bytes:
    """The document as a PDF (A4) with bookmarks, page numbers and document metadata."""
    source = render_html(doc, standalone=True, for_print=True, inline_css=False)
    with _lock:
        html = HTML(string=source, url_fetcher=refuse_network)
        pdf = html.write_pdf(
            stylesheets=list(_stylesheets(get_language() or "sv")),
            font_config=_font_config(),
        )
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf
