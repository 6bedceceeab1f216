from __future__ import annotations

import logging
import re
from io import BytesIO

import pypdf
import pytest

from trygg.documents.model import Cover, Document, Figure, Section
from trygg.documents.pdf import NetworkAccessRefused, refuse_network, render_pdf

from .conftest import IMG, SCRIPT, make_document, tiny_png

HEADINGS = [
    "1 Inledning",
    "2 Sammanfattning",
    "3 Nulägesanalys",
    "4 Uppföljning av planens delområden",
    "4.1 Våld i nära relationer samt hedersrelaterat våld och förtryck",
    "4.1.1 Insats: Motverka våld i nära relation",
]


@pytest.fixture(scope="module")
def pdf() -> pypdf.PdfReader:
    return pypdf.PdfReader(BytesIO(render_pdf(make_document())))


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pdf.pages]


def _flatten(outline, depth=0):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item, depth + 1)
        else:
            yield depth, item


def test_it_has_a_cover_a_contents_page_and_more(pdf, pages):
    assert len(pdf.pages) > 4
    assert "Uppföljning 2023 Trygg i Kungälv" in pages[0] and "Kommunstyrelse" in pages[0]
    assert "Sida" not in pages[0]  # no page number on the cover
    assert pages[1].startswith("Innehållsförteckning")


def test_bookmarks_follow_the_section_outline(pdf):
    bookmarks = [(depth, item.title) for depth, item in _flatten(pdf.outline)]
    assert bookmarks == [(0, h) for h in HEADINGS[:4]] + [(1, HEADINGS[4]), (2, HEADINGS[5])]


def test_contents_page_numbers_match_where_the_headings_are(pdf, pages):
    contents = pages[1]
    for _depth, item in _flatten(pdf.outline):
        page_number = pdf.get_destination_page_number(item) + 1
        title = item.title.split(" ", 1)[1]
        # "4.1 Våld i nära … förtryck ....... 6": the title's last word, leader dots, then the page
        last_word = re.escape(title.split()[-1])
        assert re.search(rf"{last_word}\s*\.+\s*{page_number}\b", contents), (item.title, page_number)


def test_headings_and_table_texts_appear_in_reading_order(pages):
    text = " ".join(pages[2:])
    positions = [text.index(h.split(" ", 1)[1]) for h in HEADINGS]
    assert positions == sorted(positions)
    for expected in (
        "Anmälda brott i Kungälv",
        "8 123",
        "7 456",
        "Fortsatt strukturerat arbete",
        "Politiskt uppdrag",
    ):
        assert expected in text
    assert "Källa: Brå" in text
    assert "Stöld ur motorfordon" in text and "polisens lokala Facebook" in text


def test_status_label_is_in_the_text_layer(pages):
    text = " ".join(pages)
    assert "Avslutat med avvikelse" in text and "Pågående med avvikelse" in text


def test_long_status_table_breaks_across_pages_and_repeats_its_header(pages):
    with_header = [i for i, page in enumerate(pages) if "Aktivitet Kommentar" in page]
    assert len(with_header) >= 2
    assert "Aktivitet nummer 12" in pages[with_header[-1]]


def test_footer_shows_page_n_of_m(pdf, pages):
    total = len(pdf.pages)
    for index in range(1, total):
        assert f"Sida {index + 1} av {total}" in pages[index]


def test_raw_html_in_comments_is_printed_as_text(pages):
    text = " ".join(pages)
    assert SCRIPT in text
    assert IMG in text


def test_metadata_has_title_author_and_language(pdf):
    assert pdf.metadata.title == "Uppföljning 2023 Trygg i Kungälv"
    assert pdf.metadata.author == "Kungälvs kommun"
    assert pdf.trailer["/Root"]["/Lang"] == "sv"


def test_url_fetcher_refuses_network_and_files_but_reads_data_urls():
    with pytest.raises(NetworkAccessRefused):
        refuse_network("https://example.org/font.woff2")
    with pytest.raises(NetworkAccessRefused):
        refuse_network("file:///etc/passwd")
    assert refuse_network("data:text/plain;base64,aGVq")["file_obj"].read() == b"hej"


def test_chart_with_external_references_still_renders_without_fetching(caplog):
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
        '<image xlink:href="http://example.org/x.png" width="5" height="5"/><rect width="4" height="4"/>'
        "<style>@import url(http://example.org/evil.css);</style></svg>"
    )
    doc = Document(
        Cover("Kommun", "Diagram"),
        [Section("1", "Figur", blocks=[Figure(svg=svg, png=tiny_png(), caption="Testdiagram", alt="Test")])],
        with_contents=False,
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        reader = pypdf.PdfReader(BytesIO(render_pdf(doc)))
    assert "Testdiagram" in reader.pages[1].extract_text()
    assert not [r for r in caplog.records if "Failed to load" in r.getMessage()]
