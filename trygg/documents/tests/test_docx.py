from __future__ import annotations

from io import BytesIO

import docx
import pytest
from docx.oxml.ns import qn

from trygg.documents.docx import render_docx
from trygg.documents.markdown import parse_markdown
from trygg.documents.model import Cover, Document, Paragraph, Run, Section

from .conftest import IMG, SCRIPT, make_document


@pytest.fixture(scope="module")
def word():
    return docx.Document(BytesIO(render_docx(make_document(extra_rows=2))))


def test_headings_use_word_heading_styles_with_numbers_in_order(word):
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "1 Inledning"),
        ("Heading 1", "2 Sammanfattning"),
        ("Heading 1", "3 Nulägesanalys"),
        ("Heading 1", "4 Uppföljning av planens delområden"),
        ("Heading 2", "4.1 Våld i nära relationer samt hedersrelaterat våld och förtryck"),
        ("Heading 3", "4.1.1 Insats: Motverka våld i nära relation"),
    ]
    h3 = [p for p in word.paragraphs if p.style.name == "Heading 3"][0]
    assert [(r.text, r.italic) for r in h3.runs] == [
        ("4.1.1 ", None),
        ("Insats: Motverka våld i nära relation", True),
    ]
    h1 = [p for p in word.paragraphs if p.style.name == "Heading 1"]
    assert all(p.paragraph_format.page_break_before for p in h1)


def test_contents_is_a_word_toc_field_and_nothing_else(word):
    body = word.element.body
    instructions = [el.text for el in body.iter(qn("w:instrText"))]
    assert ' TOC \\o "1-3" \\h \\z \\u ' in instructions
    texts = [p.text for p in word.paragraphs]
    toc_index = texts.index("Högerklicka och välj Uppdatera fält för att visa innehållsförteckningen.")
    first_heading = texts.index("1 Inledning")
    # no static list of section titles between the field and the first heading
    assert all(
        "Inledning" not in t and "Sammanfattning" not in t for t in texts[toc_index + 1 : first_heading]
    )
    field_chars = [el.get(qn("w:fldCharType")) for el in word.paragraphs[toc_index]._p.iter(qn("w:fldChar"))]
    assert field_chars == ["begin", "separate", "end"]
    assert word.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_cover_comes_first_with_organisation_title_recipient_and_date(word):
    texts = [p.text for p in word.paragraphs[:4]]
    assert texts == ["KUNGÄLVS KOMMUN", "Uppföljning 2023 Trygg i Kungälv", "Kommunstyrelse", "2024-02-20"]
    assert word.paragraphs[1].style.name == "Title"
    assert word.sections[0].different_first_page_header_footer


def test_status_table_has_repeated_header_symbol_title_marker_and_comment(word):
    table = word.tables[-1]
    header = table.rows[0]
    assert [c.text for c in header.cells] == ["Aktivitet", "Kommentar"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    item, comment = table.rows[1].cells
    symbol = item.paragraphs[0].runs[0]
    assert symbol.text == "✓" and str(symbol.font.color.rgb) == "2E7D32"
    assert symbol._r.rPr.rFonts.get(qn("w:ascii")) == "DejaVu Sans"
    assert [p.text for p in item.paragraphs] == [
        "✓ Fortsatt strukturerat arbete utifrån ”Trygg i”-modellen.",
        "Avslutat",
        "Politiskt uppdrag",
    ]
    red = table.rows[2].cells[0].paragraphs[0].runs[0]
    assert red.text == "✓" and str(red.font.color.rgb) == "C62828"
    assert ("otrygga", True) in [(r.text, r.bold) for r in table.rows[2].cells[0].paragraphs[0].runs]

    styles = [(p.style.name, p.text) for p in comment.paragraphs]
    assert styles[0] == ("Normal", "Genom gemensamma lägesbilder har kommunen och polisen arbetat proaktivt.")
    assert ("List Bullet", "Informationsinsatser genom olika kanaler") in styles
    assert ("List Bullet 2", "kommunens hemsida") in styles
    assert ("List Bullet 3", "polisens lokala Facebook") in styles
    runs = [(r.text, r.bold, r.italic, r.underline) for p in comment.paragraphs for r in p.runs]
    assert ("Stöld ur motorfordon", None, None, True) in runs
    assert ("proaktivt", True, None, None) in runs
    assert ("olika", None, True, None) in runs
    assert f"Inläggets rubrik var {SCRIPT} och bilden {IMG}" in comment.text


def test_legend_writes_each_symbol_as_a_coloured_character(word):
    legend = [p for p in word.paragraphs if "=" in p.text]
    assert [p.runs[0].text for p in legend] == ["–", "●", "●", "✓", "✓", "!"]
    assert [str(p.runs[0].font.color.rgb) for p in legend[1:3]] == ["2E7D32", "D99A00"]
    assert legend[0].text == "– Streck = Ej påbörjad"


def test_generic_table_keeps_cells_and_right_aligns_numbers(word):
    table = word.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["År", "Anmälda brott"],
        ["2022", "8 123"],
        ["2023", "7 456"],
    ]
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    caption = [p for p in word.paragraphs if p.text == "Anmälda brott i Kungälv"][0]
    assert caption.style.name == "Caption"


def test_figure_is_an_inline_picture_with_alt_text_caption_and_source(word):
    assert len(word.inline_shapes) == 1
    assert (
        word.inline_shapes[0]._inline.docPr.get("descr") == "Stapeldiagram: anmälda brott minskar 2020–2023"
    )
    texts = [p.text for p in word.paragraphs]
    assert "Anmälda brott per 100 000 invånare" in texts
    assert "Källa: Brå" in texts


def test_footer_numbers_pages_with_fields(word):
    footer = word.sections[0].footer.paragraphs[0]
    instructions = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Sida ")


def test_core_properties_and_proofing_language_are_swedish(word):
    assert word.core_properties.title == "Uppföljning 2023 Trygg i Kungälv"
    assert word.core_properties.language == "sv-SE"
    assert word.core_properties.author == "Kungälvs kommun"
    lang = (
        word.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:lang"))
    )
    assert lang.get(qn("w:val")) == "sv-SE"


def test_each_ordered_list_restarts_its_numbering():
    blocks = parse_markdown("1. a\n2. b") + [Paragraph([Run("mellan")])] + parse_markdown("5. c\n6. d")
    doc = Document(Cover("Kommun", "Titel"), [Section("1", "Listor", blocks=blocks)], with_contents=False)
    word = docx.Document(BytesIO(render_docx(doc)))
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    numbering = word.part.numbering_part.element
    starts = [
        numbering.num_having_numId(n).find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val"))
        for n in (num_ids[0], num_ids[2])
    ]
    assert starts == ["1", "5"]


def test_control_characters_in_user_text_do_not_break_the_file():
    doc = Document(
        Cover("Kommun\x00", "Titel\x0b"), [Section("1", "Rubrik\x1f", blocks=[Paragraph([Run("a\x00b")])])]
    )
    word = docx.Document(BytesIO(render_docx(doc)))
    assert "ab" in [p.text for p in word.paragraphs]
    assert "1 Rubrik" in [p.text for p in word.paragraphs]
