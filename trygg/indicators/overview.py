"""What the Statistik page shows before anyone chooses anything: the municipality's key figures and the
indicators that have values for it, grouped by theme.

Key figures are the nulägesanalys of the follow-up report (report_section): its charts, the rank in Öppna
jämförelser and the latest NTU shares, each with source and year. The charts take seconds to draw, so the
result is cached per municipality and data version (the count and latest import time of the rows read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from . import report_section
from .models import Indicator, Observation

CACHE_SECONDS = 6 * 3600
_YEAR = re.compile(r"^\d{4}$")

# Themes, first match wins; matched against the lower-cased title. A municipality's own (local) indicators
# form their own theme whatever their title says.
LOCAL_THEME = _("Kommunens egna nyckeltal")
OTHER_THEME = _("Övrigt")
THEMES: list[tuple[str, tuple[str, ...]]] = [
    (_("Jämförelser och index"), ("öppna jämförelser", "index", "rangplats", "avvikelse från modell")),
    (_("Trygghet och oro"), ("otrygg", "trygg", "oro ", "orolig", "avstår", "ntu", "medborgarundersökning")),
    (_("Våld och brott i nära relation"), ("nära relation", "våld i nära", "vinr")),
    (
        _("Anmälda brott"),
        ("brott", "stöld", "inbrott", "misshandel", "rån", "skadegörelse", "narkotika", "bedrägeri", "våld"),
    ),
    (_("Bränder och olyckor"), ("brand", "bränder", "olycka", "olyckor", "räddning")),
    (_("Stöd och förebyggande"), ("krismottagning", "mini-maria", "sspf", "socialtjänst", "fritid", "skola")),
    (_("Befolkning"), ("folkmängd", "invånare", "befolkning")),
]


def theme_of(indicator: Indicator) -> str:
    if indicator.is_local:
        return str(LOCAL_THEME)
    title = indicator.title.lower()
    for theme, words in THEMES:
        if any(word in title for word in words):
            return str(theme)
    return str(OTHER_THEME)


def with_data_for(municipality) -> set[int]:
    """Ids of the indicators that have at least one value for the municipality itself (one query)."""
    rows = Observation.objects.filter(region__code=municipality.code, value__isnull=False)
    return set(rows.values_list("indicator_id", flat=True).distinct())


@dataclass
class Theme:
    name: str
    indicators: list[Indicator]


def grouped(indicators) -> list[Theme]:
    """Indicators by theme (themes in THEMES order, local last, then Övrigt), titles alphabetical."""
    order = [str(t) for t, _w in THEMES] + [str(LOCAL_THEME), str(OTHER_THEME)]
    themes: dict[str, list[Indicator]] = {name: [] for name in order}
    for indicator in indicators:
        themes[theme_of(indicator)].append(indicator)
    return [Theme(name, sorted(items, key=lambda i: i.title)) for name, items in themes.items() if items]


# --- Key figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    svg: str
    caption: str
    source: str


@dataclass(frozen=True)
class Share:
    region: str
    percent: str
    year: int


@dataclass
class KeyFigures:
    municipality: str
    year: int
    charts: list[Chart] = field(default_factory=list)
    rank: int | None = None
    rank_of: int | None = None
    previous_rank: int | None = None
    rank_name: str = ""
    rank_source: str = ""
    ntu_question: str = ""
    ntu: list[Share] = field(default_factory=list)
    ntu_source: str = ""
    demo: bool = False


def _codes_filter(code: str) -> Q:
    return Q(indicator__code__in=report_section.ALL_CODES, indicator__municipality__isnull=True) & Q(
        region__code=code
    )


def latest_year(code: str) -> int | None:
    periods = Observation.objects.filter(_codes_filter(code))
    years = [int(p) for p in periods.values_list("period", flat=True).distinct() if _YEAR.match(p)]
    return max(years) if years else None


def _version(code: str) -> str:
    found = Observation.objects.filter(
        Q(indicator__code__in=report_section.ALL_CODES, indicator__municipality__isnull=True)
    ).aggregate(n=Count("id"), at=Max("imported_at"))
    return f"{code}:{found['n']}:{found['at'].isoformat() if found['at'] else ''}"


def key_figures(municipality) -> KeyFigures | None:
    """The municipality's key figures for the latest year with data; None without statistics. Cached."""
    key = "indicators:key-figures:" + _version(municipality.code)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    figures = _build(municipality)
    cache.set(key, figures or False, CACHE_SECONDS)
    return figures


def _share(value: float) -> str:
    return f"{value:.0f} %".replace(".", ",")


def _build(municipality) -> KeyFigures | None:
    from .narrative import current_analysis_figures

    year = latest_year(municipality.code)
    if year is None:
        return None
    fake_follow_up = SimpleNamespace(year=year, plan=SimpleNamespace(municipality=municipality))
    section = report_section.section_for(fake_follow_up)
    if section is None:
        return None
    facts, notes = section.text_facts, section.notes
    result = KeyFigures(municipality=municipality.full_name, year=year, demo=bool(notes.demo))
    try:
        figures = current_analysis_figures(section.chart_facts, sources=notes.lines)
    except ValueError:
        figures = []
    for figure in figures:
        # The source line is drawn in the chart and ends its text alternative; repeat it as text.
        source = next((line for line in notes.lines.values() if figure.alt.endswith(line)), "")
        result.charts.append(Chart(svg=figure.svg, caption=figure.caption, source=source))
    ranking = facts.open_comparisons
    if ranking is not None:
        result.rank, result.rank_of = ranking.rank, ranking.of
        result.previous_rank, result.rank_name = ranking.previous_rank, ranking.name
        demo = "open_comparisons" in notes.demo
        result.rank_source = str(_("Källa: Demodata (ej officiell statistik)")) if demo else "Källa: Kolada"
    ntu = facts.ntu
    if ntu is not None and ntu.kommun:
        result.ntu_question = ntu.question
        result.ntu_source = notes.lines.get("ntu", "")
        for name, shares in (
            (facts.municipality, ntu.kommun),
            (ntu.polisregion_name or str(_("Polisregionen")), ntu.polisregion),
            (str(_("Riket")), ntu.riket),
        ):
            if shares:
                last = max(shares)
                result.ntu.append(Share(name, _share(shares[last].value), last))
    return result
