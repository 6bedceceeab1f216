"""Section 3 reads the plan's own municipality: with two municipalities in one installation, each follow-up's
charts, captions and legends name and show only its own figures; a municipality without statistics gets a
section 3 that says so, never another municipality's figures."""

import pytest
from django.utils import timezone

from trygg.documents.model import Figure, Paragraph
from trygg.indicators import report_section
from trygg.indicators.models import Indicator, Observation, Region
from trygg.plans.models import FollowUp
from trygg.plans.report import build_follow_up_report, render_document

from .builders import load_demo_plan

pytestmark = pytest.mark.django_db

# Per 100 000 inhabitants and population, different for each municipality (and riket).
RATES = {
    "1482": (9100, 8800, 8500, 8310),
    "1440": (6100, 6600, 7000, 7400),
    "00": (14000, 13800, 13700, 13610),
}
POPULATION = {"1482": 47000, "1440": 32000, "00": 10_500_000}
YEARS = (2020, 2021, 2022, 2023)


@pytest.fixture
def follow_ups(regions):
    load_demo_plan("1482")
    load_demo_plan("1440")
    return {
        fu.plan.municipality.code: fu
        for fu in FollowUp.objects.select_related("plan__municipality").filter(
            plan__municipality__code__in=["1482", "1440"]
        )
    }


def observe(codes=("1482", "1440", "00")):
    rate = Indicator.objects.create(
        code="N07540", title="Anmälda brott totalt, antal/100 000 inv", unit="per_100k"
    )
    people = Indicator.objects.create(code="N01951", title="Invånare totalt, antal", unit="antal")
    rows = []
    for code in codes:
        region = Region.objects.get(code=code)
        for year, value in zip(YEARS, RATES[code], strict=True):
            for indicator, v in ((rate, value), (people, POPULATION[code])):
                rows.append(
                    Observation(
                        indicator=indicator,
                        region=region,
                        period=str(year),
                        period_start=year,
                        period_end=year,
                        value=v,
                        imported_at=timezone.now(),
                    )
                )
    Observation.objects.bulk_create(rows)


def section_three_text(follow_up) -> str:
    """Everything section 3 adds from the statistics: captions, alt texts, the SVGs (legends, titles), text."""
    parts = []
    for block in report_section.current_analysis_blocks(follow_up):
        if isinstance(block, Figure):
            parts += [block.caption, block.alt, block.source, block.svg]
        elif isinstance(block, Paragraph):
            parts.append("".join(run.text for run in block.runs))
    return "\n".join(parts)


def test_each_follow_up_shows_only_its_own_municipality(follow_ups):
    observe()
    kungalv, ale = follow_ups["1482"], follow_ups["1440"]
    kungalv_text, ale_text = section_three_text(kungalv), section_three_text(ale)
    assert "Kungälv" in kungalv_text and "Ale" not in kungalv_text
    assert "Ale" in ale_text and "Kungälv" not in ale_text
    # The figures are each municipality's own: Kungälv's 8 310 and Ale's 7 400 per 100 000 in 2023.
    assert report_section.facts_for(kungalv).total.published_rates[2023] == 8310
    assert report_section.facts_for(ale).total.published_rates[2023] == 7400
    draft = report_section.draft_for(kungalv)
    assert "Kungälv" in draft and "Ale" not in draft
    assert "Kungälv" not in report_section.draft_for(ale)


def test_a_municipality_without_statistics_gets_a_section_three_that_says_so(follow_ups):
    observe(codes=("1482", "00"))  # Kungälv and riket only
    ale = follow_ups["1440"]
    blocks = report_section.current_analysis_blocks(ale)
    assert [type(b) for b in blocks] == [Paragraph]
    text = section_three_text(ale)
    assert text.startswith("Trygg har ingen statistik för Ale kommun för 2025")
    assert "Kungälv" not in text
    assert report_section.draft_for(ale) == ""
    html = render_document(build_follow_up_report(ale), "html").decode()
    assert "Trygg har ingen statistik för Ale kommun" in html
    assert (
        "<svg" not in html.split("Trygg har ingen statistik")[1].split("Uppföljning av planens delområden")[0]
    )


def test_local_indicators_never_reach_section_three(follow_ups, municipality):
    observe(codes=("1482", "00"))
    # Ale's own "N07540"-like local figure must not be read as official statistics for anyone.
    local = Indicator.objects.create(
        code="LOKAL.N07540", title="Lokalt", unit="per_100k", is_local=True, municipality=municipality
    )
    Observation.objects.create(
        indicator=local,
        region=Region.objects.get(code="1440"),
        period="2023",
        period_start=2023,
        period_end=2023,
        value=1,
        imported_at=timezone.now(),
    )
    assert report_section.facts_for(follow_ups["1440"]) is None
