"""Read helpers for charts, reports and the dashboard: a constant number of queries whatever the size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .models import Indicator, Observation, Region

Series = dict[str, list[tuple[str, float | None]]]


def series(
    indicator_code: str,
    region_codes: Iterable[str],
    breakdown: str = "",
    *,
    start: int | None = None,
    end: int | None = None,
) -> Series:
    """{region code: [(period, value), …]} in period order; suppressed/missing values are None. One query."""
    codes = list(region_codes)
    qs = Observation.objects.filter(
        indicator__code=indicator_code, region__code__in=codes, breakdown=breakdown
    )
    if start is not None:
        qs = qs.filter(period_end__gte=start)
    if end is not None:
        qs = qs.filter(period_start__lte=end)
    out: Series = {code: [] for code in codes}
    for region_code, period, value in qs.order_by(
        "region__code", "period_start", "period_end", "period"
    ).values_list("region__code", "period", "value"):
        out[region_code].append((period, value))
    return out


def observations(
    indicator_code: str, region_codes: Iterable[str], *, breakdowns: Iterable[str] | None = None
):
    """Full observation rows (status, margin, CI, preliminary) for tables and exports; one query."""
    qs = Observation.objects.filter(indicator__code=indicator_code, region__code__in=list(region_codes))
    if breakdowns is not None:
        qs = qs.filter(breakdown__in=list(breakdowns))
    return qs.select_related("region", "indicator").order_by(
        "region__code", "breakdown", "period_start", "period"
    )


def breakdown_series(indicator_code: str, region_code: str, *, prefix: str = "") -> Series:
    """{breakdown key: [(period, value), …]} for one region, e.g. by kön or brottskategori; one query.

    `prefix` keeps only breakdowns starting with it ("kön=" for the gender split, "" for all)."""
    qs = Observation.objects.filter(indicator__code=indicator_code, region__code=region_code)
    if prefix:
        qs = qs.filter(breakdown__startswith=prefix)
    out: Series = defaultdict(list)
    for key, period, value in qs.order_by("breakdown", "period_start", "period").values_list(
        "breakdown", "period", "value"
    ):
        out[key].append((period, value))
    return dict(out)


def latest_values(
    indicator_code: str, region_kind: str = Region.Kind.MUNICIPALITY, breakdown: str = ""
) -> dict:
    """{region code: (period, value)} of the latest period per region (rankings across kommuner); one query."""
    qs = (
        Observation.objects.filter(
            indicator__code=indicator_code, region__kind=region_kind, breakdown=breakdown
        )
        .order_by("region__code", "period_end", "period")
        .values_list("region__code", "period", "value")
    )
    latest: dict[str, tuple[str, float | None]] = {}
    for code, period, value in qs:
        latest[code] = (period, value)
    return latest


def indicator(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()
