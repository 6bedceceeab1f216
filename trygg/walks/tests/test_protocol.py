"""The walk protocol read back: the HTML page, the DOCX (python-docx) and the PDF (pypdf) hold the findings,
the measures and their status; it is built in a constant number of queries."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document as DocxDocument
from pypdf import PdfReader

from trygg.walks.actions import do_add_stop
from trygg.walks.models import Measure

from .conftest import make_finding, place


@pytest.fixture
def protocol_world(walk_world, personas):
    walk = walk_world["walk"]
    do_add_stop(walk, place=place(walk.municipality), note="Samling", acting_user=personas["coordinator"])
    make_finding(
        walk, personas["coordinator"], category="litter", place=place(walk.municipality, "Skarpe Nord")
    )
    measure = walk_world["housing_measure"]
    measure.status = Measure.Status.DONE
    measure.save(update_fields=["status"])
    return walk_world


def _docx_text(content: bytes) -> str:
    doc = DocxDocument(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


EXPECTED = [
    "Protokoll trygghetsvandring: Utmarksvägen",
    "Belysning",
    "Nedskräpning",
    "Skarpe Nord",
    "Byt armaturer",
    "Beskär buskar",
    "Säkerhetsenheten",
    "Kungälvsbostäder",
    "Klar",
    "Planerad",
    "1 av 2 åtgärder är klara",
    "Samling",
]


def test_protocol_html(client, personas, protocol_world):
    client.force_login(personas["reader"])
    html = client.get(reverse("walks:protocol_html", args=[protocol_world["walk"].pk])).content.decode()
    for text in EXPECTED:
        assert text in html, text


def test_protocol_docx(client, personas, protocol_world):
    client.force_login(personas["reader"])
    response = client.get(reverse("walks:protocol_docx", args=[protocol_world["walk"].pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(response.content)
    for expected in EXPECTED:
        assert expected in text, expected


def test_protocol_pdf(client, personas, protocol_world):
    client.force_login(personas["reader"])
    response = client.get(reverse("walks:protocol_pdf", args=[protocol_world["walk"].pk]))
    assert response.content[:4] == b"%PDF"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in ["Protokoll trygghetsvandring", "Byt armaturer", "Beskär buskar", "Skarpe Nord", "Klar"]:
        assert expected in text, expected


def test_protocol_queries_do_not_grow_with_findings(
    client, personas, protocol_world, django_assert_max_num_queries
):
    client.force_login(personas["reader"])
    walk = protocol_world["walk"]
    for _ in range(5):
        make_finding(walk, personas["coordinator"])
    with django_assert_max_num_queries(16):
        client.get(reverse("walks:protocol_html", args=[walk.pk]))
