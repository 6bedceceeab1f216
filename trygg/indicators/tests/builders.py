"""Small builders for statistics tests (plain functions, no fixtures)."""

import re
from html import unescape

from django.utils import timezone

from trygg.conftest import MUNICIPALITY_A, MUNICIPALITY_B
from trygg.indicators import actions, report_section
from trygg.indicators.models import Indicator, Observation, Region
from trygg.places.loading import load_municipality


def observe(indicator, region, year, value, breakdown="", status="ok", **extra):
    return Observation(
        indicator=indicator,
        region=region,
        period=str(year),
        period_start=year,
        period_end=year,
        breakdown=breakdown,
        value=value,
        status=status,
        imported_at=timezone.now(),
        **extra,
    )


def national(years, n_kommuner, code="N07403"):
    """Violent crimes per 100 000 for n kommuner (Kungälv included) and riket; Kungälv = 300 every year.

    The others get 100, 150, 200, … so Kungälv is fifth lowest (rank 5) whenever n > 5. Kungälv and the
    first five others share a peer group."""
    indicator = Indicator.objects.get(code=code)
    others = list(Region.objects.municipalities().exclude(code="1482").order_by("code")[: n_kommuner - 1])
    kungalv = Region.objects.get(code="1482")
    Region.objects.filter(pk__in=[kungalv.pk] + [r.pk for r in others[:5]]).update(group="Mellanstor kommun")
    rows = []
    for year in years:
        rows.append(observe(indicator, kungalv, year, 300))
        rows.append(observe(indicator, Region.objects.get(code="00"), year, 900))
        rows += [observe(indicator, region, year, 100 + 50 * i) for i, region in enumerate(others)]
    Observation.objects.bulk_create(rows)
    return indicator


def html_table(html: str, table_id: str) -> list[list[str]]:
    """The table with this id as rows of cell texts (header row first), tags and entities removed."""
    body = re.search(rf'<table id="{table_id}".*?</table>', html, re.S).group(0)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


# --- Demo data and local indicators (the demo package's loader, as bin/run uses it) --------------------------

DEMO_SOURCE = report_section.DEMO_SOURCE
CRIMES_PER_100K = report_section.DEMO_CRIMES_PER_100K
CRIMES_BY_CATEGORY = report_section.DEMO_CRIMES_BY_CATEGORY
NTU_UNSAFE_EVENING = report_section.DEMO_NTU_UNSAFE_EVENING


def demo_municipalities() -> dict:
    """Kungälv (A) and Ale (B), as the demo hosts them."""
    return {code: load_municipality(code) for code in (MUNICIPALITY_A, MUNICIPALITY_B)}


def load_demo_indicators(*, with_population: bool = True) -> str:
    """The demo statistics for Kungälv and Ale, without the drafts in the plans' follow-ups."""
    from trygg.demo.indicators import load_statistics

    return load_statistics(demo_municipalities(), acting_user=None, with_population=with_population)


def load_demo_plan(code: str = MUNICIPALITY_A):
    """The demo plan of a municipality (Kungälv's 2023 reference report, or Ale's made-up plan)."""
    from trygg.demo.plans import load

    return load(load_municipality(code), acting_user=None)


def local_indicator(code: str, title: str, unit: str = "antal", municipality=None, **extra) -> Indicator:
    """A local indicator of `municipality` (default Kungälv), created through the action."""
    municipality = municipality or load_municipality(MUNICIPALITY_A)
    return actions.do_create_local_indicator(municipality, code, title, unit, **extra).obj
