"""Every PDF is tagged PDF/UA-1: structure tree, language, title, figures with alt text, tables with header
cells, headings in outline order; the archive variant declares PDF/A-2u. Read back with pikepdf/pypdf."""

from __future__ import annotations

import re
from io import BytesIO

import pikepdf
import pytest

from trygg.documents.model import Cover, Document, Figure, Paragraph, Run, Section
from trygg.documents.pdf import render_pdf
from trygg.documents.walk import clean_text

from .conftest import make_document, tiny_png
from .pdf_structure import TaggedPdf, read_tagged_pdf

WEB_URL = "https://trygg.example.se/planer/trygg-i-kungalv/uppfoljning/2023/rapport.html"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expected_headings(doc: Document) -> list[tuple[int, str]]:
    """The outline as the PDF must tag it: the cover title (H1), the contents (H2), then every section at
    its level, with its unnumbered sub-heading one level below."""
    out = [(1, doc.cover.title)]
    if doc.with_contents:
        out.append((2, "Innehållsförteckning"))
    for section in doc.walk():
        out.append((section.level, f"{section.number} {section.title}".strip()))
        if section.subtitle:
            out.append((section.level + 1, section.subtitle))
    return out


def assert_tagged_pdf_ua(tagged: TaggedPdf, doc: Document) -> None:
    """The Must-show checks, shared with the follow-up report and meeting brief tests."""
    assert tagged.elements and tagged.elements[0].tag == "/Document"
    assert tagged.catalog["Marked"] is True
    assert tagged.catalog["Lang"] == doc.language == "sv"
    assert tagged.catalog["DisplayDocTitle"] is True  # the title, not the file name, in the window
    assert tagged.xmp.get("pdfuaid:part") == "1"
    headings = tagged.headings()
    assert [(level, squash(text)) for level, text in headings] == [
        (level, squash(text)) for level, text in expected_headings(doc)
    ]
    levels = [level for level, _ in headings]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels  # no level skipped
    charts = [block for section in doc.walk() for block in section.blocks if isinstance(block, Figure)]
    figures = tagged.tagged("/Figure")
    assert len(figures) == len(charts)
    assert [f.alt for f in figures] == [clean_text(c.alt or c.caption) for c in charts]
    tables = tagged.tagged("/Table")
    for table in tables:
        cells = [d.tag for d in table.descendants()]
        assert "/TH" in cells, "a table without header cells"


@pytest.fixture(scope="module")
def doc() -> Document:
    document = make_document()
    document.cover.web_url = WEB_URL
    return document


@pytest.fixture(scope="module")
def tagged(doc) -> TaggedPdf:
    return read_tagged_pdf(render_pdf(doc))


def test_pdf_is_tagged_pdf_ua_with_language_title_figures_tables_and_heading_order(tagged, doc):
    assert_tagged_pdf_ua(tagged, doc)


def test_table_header_cells_carry_the_column_and_row_headers(tagged):
    header_texts = {" ".join(th.text.split()) for th in tagged.tagged("/TH")}
    assert {"År", "Anmälda brott", "Aktivitet", "Kommentar"} <= header_texts
    # the status table's rows are headed by the activity (th scope=row), so its title is a TH too
    assert any(text.startswith("Aktivitet nummer 12") for text in header_texts)
    # the data table: one TH per column in its header row, data in TD
    data_table = next(t for t in tagged.tagged("/Table") if "Anmälda brott i Kungälv" in t.text)
    assert [d.tag for d in data_table.descendants()].count("/TH") == 2
    assert "7456" in squash(" ".join(d.text for d in data_table.descendants() if d.tag == "/TD"))


def test_chart_figure_alt_text_is_the_description_not_the_word_diagram(tagged):
    (figure,) = tagged.tagged("/Figure")
    assert figure.alt == "Stapeldiagram: anmälda brott minskar 2020–2023"


def test_first_page_links_the_accessible_web_version(tagged):
    assert set(tagged.first_page_links) == {WEB_URL}  # one link annotation per line of the wrapped address
    cover_text = " ".join(e.text for e in tagged.elements if e.mcids and e.mcids[0][0] == 0)
    assert "Tillgänglig version som webbsida" in cover_text


def test_a_web_address_that_is_not_http_is_left_out():
    doc = Document(Cover("Kommun", "Titel", web_url="javascript:alert(1)"), [Section("1", "Ett")])
    assert read_tagged_pdf(render_pdf(doc)).first_page_links == []


def test_archive_variant_declares_pdf_a_2u_with_output_intent_and_stays_tagged(doc):
    archive = read_tagged_pdf(render_pdf(doc, archive=True))
    assert archive.xmp["pdfaid:part"] == "2" and archive.xmp["pdfaid:conformance"] == "U"
    assert archive.catalog["OutputIntents"] == 1  # sRGB, required by PDF/A
    assert archive.catalog["Marked"] is True and archive.catalog["Lang"] == "sv"
    assert [squash(t) for _, t in archive.headings()] == [squash(t) for _, t in expected_headings(doc)]


def test_untagged_rendering_has_no_structure_tree(doc):
    """The benchmark's comparison file: what every PDF looked like before, and what the checks catch."""
    pdf = pikepdf.open(BytesIO(render_pdf(doc, tagged=False)))
    assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root


def test_a_figure_without_alt_text_falls_back_to_its_caption():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="4" height="4"/></svg>'
    doc = Document(
        Cover("Kommun", "Diagram"),
        [
            Section(
                "1",
                "Figur",
                blocks=[
                    Paragraph([Run("Text")]),
                    Figure(svg=svg, png=tiny_png(), caption="Otrygghet 2023: 21 procent", alt=""),
                ],
            )
        ],
        with_contents=False,
    )
    (figure,) = read_tagged_pdf(render_pdf(doc)).tagged("/Figure")
    assert figure.alt == "Otrygghet 2023: 21 procent"
