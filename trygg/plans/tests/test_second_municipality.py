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

from trygg.documents.model import Figure, Paragraph, Table
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


def section_three_text(follow_up) -> str:
    """Everything section 3 shows: paragraphs, figure captions, alt texts, sources, SVGs and table cells."""
    parts = []
    for block in section_three(build_follow_up_report(follow_up)).blocks:
        if isinstance(block, Figure):
            parts += [block.caption, block.alt, block.source, block.svg]
        elif isinstance(block, Table):
            parts += [block.caption, *block.headers, *(c for row in block.rows for c in row)]
        elif isinstance(block, Paragraph):
            parts.append("".join(run.text for run in block.runs))
    return "\n".join(parts).replace("\xa0", " ").replace("\u202f", " ")  # thousands separators


def test_without_statistics_of_its_own_section_three_says_so_and_shows_no_figures(reports):
    _, ale = reports  # the demo has statistics for Kungälv only
    blocks = section_three(build_follow_up_report(ale)).blocks
    assert not [b for b in blocks if isinstance(b, Figure | Table)]
    text = section_three_text(ale)
    assert "Trygg har ingen statistik för Ale kommun" in text and "kungälv" not in text.casefold()


# Official figures (Kolada N07540 per 100 000, N01951 inhabitants), different for each municipality, so that
# a figure drawn from the wrong municipality's rows shows a number that is not Ale's.
OWN_RATES = {
    "1440": (6120, 6640, 7010, 7460),
    "1482": (9130, 8870, 8530, 8310),
    "00": (14020, 13810, 13700, 13610),
}
POPULATION = {"1440": 32000, "1482": 47000, "00": 10_500_000}


def add_official_statistics() -> None:
    from django.utils import timezone

    from trygg.indicators.models import Indicator, Observation, Region

    # The demo loads the Kolada catalogue (titles, units) but no official figures.
    rate = Indicator.objects.get_or_create(
        code="N07540", defaults={"title": "Anmälda brott", "unit": "per_100k"}
    )[0]
    people = Indicator.objects.get_or_create(code="N01951", defaults={"title": "Invånare", "unit": "antal"})[
        0
    ]
    assert not Observation.objects.filter(indicator__in=[rate, people]).exists()
    rows = []
    for code, rates in OWN_RATES.items():
        region = Region.objects.get(code=code)
        for year, value in zip((2020, 2021, 2022, 2023), rates, strict=True):
            for indicator, v in ((rate, value), (people, POPULATION[code])):
                rows.append(
                    Observation(
                        indicator=indicator, region=region, period=str(year), period_start=year,
                        period_end=year, value=v, imported_at=timezone.now(),
                    )
                )  # fmt: skip
    Observation.objects.bulk_create(rows)


@pytest.mark.parametrize(("fmt", "to_text"), [("html", html_text), ("docx", docx_text), ("pdf", pdf_text)])
def test_with_statistics_of_its_own_the_report_shows_them_and_names_only_that_municipality(
    reports, fmt, to_text
):
    kungalv, ale = reports
    add_official_statistics()
    section = section_three_text(ale)
    assert "7 460" in section, "Ale's own 2023 rate is shown"
    assert "8 310" not in section, "never Kungälv's 2023 rate"
    assert "8 310" in section_three_text(kungalv), (
        "Kungälv's report does show it (so the check means something)"
    )
    assert "kungälv" not in section.casefold()
    text = to_text(render_document(build_follow_up_report(ale), fmt))
    assert "Ale kommun" in text and "Trygg i Ale" in text
    assert "kungälv" not in text.casefold() and "kungalv" not in text.casefold()
