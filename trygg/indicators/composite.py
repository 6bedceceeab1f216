"""The "Sammanvägt index" page: several indicators become one 0–100 score and a rank for every kommun
(analysis.composite_index), with the method shown beside the result.

A constant number of queries: the rankable indicators (one), the years the chosen ones have kommun values
for (one) and the chosen indicators' kommun values for the year (one), however many kommuner there are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analysis import CompositeResult, composite_index, format_number
from .models import Indicator, Observation, Region

# Öppna jämförelser Trygghet och säkerhet's four inputs (Kolada): personskador, bränder (U07415 until 2023,
# N07415 from 2024), våldsbrott and stöld- och tillgreppsbrott.
DEFAULT_INPUTS: tuple[tuple[str, ...], ...] = (("U07413",), ("U07415", "N07415"), ("N07403",), ("U07417",))
MIN_INPUTS = 2
_YEAR = re.compile(r"^\d{4}$")


def rankable_indicators():
    """Indicators that can go into an index: with a direction (higher or lower is better) and not raw
    counts (a count ranks kommuner by their size)."""
    return (
        Indicator.objects.national()
        .filter(higher_is_better__isnull=False)
        .exclude(unit=Indicator.Unit.COUNT)
        .only("code", "title", "unit", "source", "higher_is_better")
        .order_by("title", "code")
    )


def default_codes(indicators: dict[str, Indicator], years_with_data: dict[str, set[int]]) -> list[str]:
    """The Öppna jämförelser inputs that exist; of alternatives, the one with the most recent data."""
    codes = []
    for alternatives in DEFAULT_INPUTS:
        present = [c for c in alternatives if c in indicators]
        if present:
            codes.append(max(present, key=lambda c: (max(years_with_data.get(c, {0})), -present.index(c))))
    return codes


def kommun_years(codes: list[str]) -> dict[str, set[int]]:
    """indicator code -> the years it has kommun values for; one query."""
    rows = (
        Observation.objects.filter(
            indicator__code__in=codes,
            indicator__municipality__isnull=True,
            region__kind=Region.Kind.MUNICIPALITY,
            breakdown="",
            value__isnull=False,
        )
        .values_list("indicator__code", "period")
        .distinct()
    )
    out: dict[str, set[int]] = {}
    for code, period in rows:
        if _YEAR.match(period):
            out.setdefault(code, set()).add(int(period))
    return out


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    rank: int
    score: str  # "64,3"
    values: list[str]  # each input's value as published, in the order of the inputs
    home: bool


@dataclass
class CompositePage:
    year: int
    inputs: list[Indicator]
    result: CompositeResult | None
    rows: list[Row] = field(default_factory=list)
    home: Row | None = None
    of: int = 0
    excluded: list[str] = field(default_factory=list)  # names
    notes: list[str] = field(default_factory=list)


def load_composite(inputs: list[Indicator], year: int, home: str | None = None) -> CompositePage:
    """Every kommun's index for `year` on the inputs, `home` (the user's current municipality's code) marked;
    one query."""
    from django.utils.translation import gettext as _

    rows = Observation.objects.filter(
        indicator__in=inputs,
        region__kind=Region.Kind.MUNICIPALITY,
        breakdown="",
        period=str(year),
        value__isnull=False,
    ).values_list("indicator__code", "region__code", "region__short_name", "region__name", "value")
    values: dict[str, dict[str, float]] = {i.code: {} for i in inputs}
    names: dict[str, str] = {}
    for indicator, region, short, name, value in rows:
        values[indicator][region] = value
        names[region] = short or name
    page = CompositePage(year, inputs, None)
    with_values = [i for i in inputs if values[i.code]]
    for indicator in inputs:
        if not values[indicator.code]:
            page.notes.append(
                _("%(title)s har inga värden per kommun för %(year)s och räknas inte med.")
                % {"title": indicator.title, "year": year}
            )
        elif len(set(values[indicator.code].values())) == 1:
            page.notes.append(
                _("%(title)s har samma värde för alla kommuner och räknas inte med.")
                % {"title": indicator.title}
            )
    if len(with_values) < MIN_INPUTS:
        return page
    result = composite_index(
        {i.code: values[i.code] for i in with_values}, {i.code: bool(i.higher_is_better) for i in with_values}
    )
    page.result = result
    for code, item in result.ranking.items():
        page.rows.append(
            Row(
                code,
                names.get(code, code),
                item.rank,
                format_number(result.scores[code], 1),
                [_value(values[i.code].get(code)) for i in inputs],
                code == home,
            )
        )
    page.rows.sort(key=lambda r: (r.rank, r.name))
    page.of = len(page.rows)
    page.home = next((r for r in page.rows if r.home), None)
    page.excluded = sorted(names.get(code, code) for code in result.excluded)
    return page


def _value(value: float | None) -> str:
    if value is None:
        return "–"
    return format_number(value, 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2)
