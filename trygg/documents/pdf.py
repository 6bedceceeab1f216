"""PDF renderer: the print HTML of the document through WeasyPrint.

Paged media (A4, cover page, contents with page numbers, "Sida N av M", bookmarks from h1–h3, repeated
table headers) is all CSS in static/documents/print.css. Nothing is ever fetched: the URL fetcher only
accepts data: URLs, and fonts are the system's (fontconfig).

Every PDF is tagged (a structure tree of headings, lists, tables with header cells and figures with their
alternative text, `/MarkInfo /Marked true`, the document language and the title shown in the window): a
public body must publish accessible documents (lag 2018:1937). The default file declares PDF/UA-1; the
archive variant (`archive=True`) declares PDF/A-2u for e-arkiv and is tagged the same way. PDF/A-2 rather
than 3: archives commonly refuse PDF/A-3, which may carry arbitrary attachments. WeasyPrint writes one
variant's identifier per file, so the two are separate downloads.
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

ACCESSIBLE_VARIANT = "pdf/ua-1"
ARCHIVE_VARIANT = "pdf/a-2u"


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


def render_pdf(doc: Document, *, archive: bool = False, tagged: bool = True) -> bytes:
    """The document as a tagged PDF (A4) with bookmarks, page numbers and document metadata.

    archive=True gives the PDF/A-2u variant for e-arkiv (also tagged); tagged=False is the untagged file of
    earlier versions, kept only so that the report benchmark can compare the two."""
    source = render_html(doc, standalone=True, for_print=True, inline_css=False)
    if archive:
        options = {"pdf_variant": ARCHIVE_VARIANT, "pdf_tags": True}
    elif tagged:
        options = {"pdf_variant": ACCESSIBLE_VARIANT}  # implies pdf_tags
    else:
        options = {}
    with _lock:
        html = HTML(string=source, url_fetcher=refuse_network)
        pdf = html.write_pdf(
            stylesheets=list(_stylesheets(get_language() or "sv")),
            font_config=_font_config(),
            **options,
        )
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf
