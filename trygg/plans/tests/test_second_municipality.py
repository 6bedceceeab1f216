"""A second municipality's plan (the made-up "Trygg i Ale", Ale 1440: its own names, four areas, all six
statuses) imported next to Kungälv's, with Kungälv's statistics in the database: its follow-up report in HTML,
DOCX and PDF names only Ale, and its section 3 shows only Ale's own figures (or none), never Kungälv's."""

import io
import re
import zipfile
from html import unescape

import docx
import pytest
from pypdf import PdfReader

from trygg.documents.model import Figure, Table
from trygg.plans.models import ActivityStatus
from trygg.plans.report import build_follow_up_report, render_document
from trygg.plans.status_rules import Status
from trygg.plans.tests.conftest import load_demo

pytestmark = pytest.mark.django_db


def load_kungalv_statistics(municipalities: dict) -> None:
    """Kungälv's demo statistics, through the indicators' demo loader."""
    from trygg.demo import indicators as demo_indicators

    demo_indicators.load(municipalities, acting_user=None)


@pytest.fixture
def reports():
    kungalv = load_demo("1482")
    ale = load_demo("1440")
    load_kungalv_statistics({"1482": kungalv.municipality, "1440": ale.municipality})
    return kungalv.follow_ups.get(), ale.follow_ups.get()


def html_text(content: bytes) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", content.decode("utf-8")))


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:  # headers, footers, core properties too
        parts += [
            archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")
        ]
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join([page.extract_text() for page in reader.pages] + [str(reader.metadata or "")])


def section_three(document):
    return next(s for s in document.sections if s.number == "3")


def test_the_second_plan_has_its_own_names_four_areas_and_all_six_statuses(reports):
    _, ale = reports
    assert ale.plan.municipality.code == "1440" and ale.plan.owner_name == "Ale kommun"
    assert ale.plan.areas.count() == 4
    statuses = set(ActivityStatus.objects.filter(follow_up=ale).values_list("status", flat=True))
    assert statuses == {s.value for s in Status}


def test_kungalvs_statistics_are_there_to_be_left_out(reports):
    """The check below proves something only if Kungälv's own report does show its statistics."""
    kungalv, _ = reports
    assert "Kungälv" in html_text(render_document(build_follow_up_report(kungalv), "html"))
    blocks = section_three(build_follow_up_report(kungalv)).blocks
    assert any(isinstance(b, Figure | Table) for b in blocks)


@pytest.mark.parametrize(("fmt", "to_text"), [("html", html_text), ("docx", docx_text), ("pdf", pdf_text)])
def test_the_second_municipalitys_report_names_only_that_municipality(reports, fmt, to_text):
    _, ale = reports
    text = to_text(render_document(build_follow_up_report(ale), fmt))
    assert "Ale kommun" in text and "Trygg i Ale" in text
    assert "kungälv" not in text.casefold()
    assert "kungalv" not in text.casefold()


def test_section_three_shows_only_its_own_figures_or_none(reports):
    _, ale = reports
    section = section_three(build_follow_up_report(ale))
    for block in section.blocks:
        if isinstance(block, Figure):
            shown = " ".join((block.caption, block.alt, block.source, block.svg)).casefold()
            assert "kungälv" not in shown and "ale" in shown
        if isinstance(block, Table):
            cells = " ".join([block.caption, *block.headers, *(c for row in block.rows for c in row)])
            assert "kungälv" not in cells.casefold()
