"""The statistics dashboard: one indicator for chosen regions as a table of periods × regions, a chart and
each kommun's rank among all kommuner.

The page and the CSV/XLSX exports read through `load_dashboard`, so a download always holds the figures
the page shows, with the same suppression. A constant number of queries whatever the number of
observations: the regions (one), the observations of the chosen regions (one), when a kommun is
chosen and a ranking or peer median is asked for, every kommun's values (one), and for a sensitive
indicator (`Indicator.needs_protection`) all its values (one).

Secondary suppression (sensitive indicators only; Brå, Kolada and SCB publish their own figures): the
protection is computed once over the indicator's whole table, per period (every region, every breakdown),
not over the cells one view happens to show, so that no choice of regions or breakdown, and no pair of
views or downloads, shows a cell that another hides. Relations: a total and the parts of each breakdown
dimension of the same region (kön=K + kön=M = totalt), a län and all its kommuner, riket and all its län
(only when every part has a value; otherwise the sum does not hold). Rates per 100 000 or 1 000 are turned
back into counts with the population the app holds (`analysis.count_from_rate`, as a reader could) and
hidden when that count is small. Peer medians are hidden when a kommun they are taken over is hidden.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Indicator, Observation, Region
from .secondary_suppression import Relation, protect
from .suppression import suppress, suppression_note, threshold

RIKET = "00"
MISSING_TEXT = gettext_lazy("saknas")  # no value: not collected, not published, or not imported
SUPPRESSED_TEXT = ".."  # the source withheld it (confidentiality or too uncertain), as in official statistics
COMPARE_RIKET, COMPARE_COUNTY, COMPARE_POLICE, COMPARE_PEERS = "riket", "lan", "polisregion", "kommungrupp"
COMPARE_CHOICES = [
    (COMPARE_RIKET, gettext_lazy("riket")),
    (COMPARE_COUNTY, gettext_lazy("länet")),
    (COMPARE_POLICE, gettext_lazy("polisregionen")),
    (COMPARE_PEERS, gettext_lazy("kommungruppen (median)")),
]
KIND_GROUPS = {
    Region.Kind.RIKET: gettext_lazy("Riket"),
    Region.Kind.POLICE_REGION: gettext_lazy("Polisregioner"),
    Region.Kind.COUNTY: gettext_lazy("Län"),
    Region.Kind.MUNICIPALITY: gettext_lazy("Kommuner"),
}
KIND_ORDER = {
    Region.Kind.RIKET: 0,
    Region.Kind.POLICE_REGION: 1,
    Region.Kind.COUNTY: 2,
    Region.Kind.MUNICIPALITY: 3,
}
MIN_RANKED = 10  # below this many kommuner with a value, a place "bland kommunerna" says little
GROUPS_HOWTO = gettext_lazy(
    "Jämförelsen med kommungruppen kräver kommunernas folkmängd. Be installationens administratör "
    "importera folkmängden från SCB eller Kolada under Administrera statistik."
)
_SUB_YEAR = re.compile(r"[MK]\d")  # months and quarters: the chart draws years only


@dataclass(frozen=True)
class RegionInfo:
    code: str
    kind: str
    name: str
    short_name: str
    county: str | None
    police_region: str | None
    group: str
    population: int | None = None

    @property
    def label(self) -> str:
        # "Väst" alone says little; "Polisregion Väst" does.
        if self.kind == Region.Kind.POLICE_REGION:
            return self.name
        return self.short_name or self.name


def region_index() -> dict[str, RegionInfo]:
    """Every region with its län, polisregion and peer group; one query."""
    rows = Region.objects.values_list(
        "code", "kind", "name", "short_name", "county__code", "police_region__code", "group", "population"
    ).order_by("code")
    return {row[0]: RegionInfo(*row) for row in rows}


def groups_missing(index: dict[str, RegionInfo]) -> bool:
    """No kommun has a peer group yet (no population imported)."""
    return not any(info.group for info in index.values() if info.kind == Region.Kind.MUNICIPALITY)


def default_region_codes(index: dict[str, RegionInfo], home_code: str | None) -> list[str]:
    """The user's current municipality (`home_code`), its län, its polisregion and riket (those that exist)."""
    home = index.get(home_code) if home_code else None
    if home is None:
        return [RIKET] if RIKET in index else []
    codes = [home.code, home.county, home.police_region, RIKET]
    return [c for c in codes if c and c in index]


def search_indicators(indicators: Iterable[Indicator], query: str, limit: int = 50) -> list[Indicator]:
    """Indicators whose title or code holds every word of the query (case-insensitive, also for å, ä, ö).

    In Python over the list the page has already read: SQLite's LIKE folds only ASCII letters."""
    words = query.casefold().split()
    if not words:
        return []
    hits = [i for i in indicators if all(w in f"{i.title} {i.code}".casefold() for w in words)]
    return hits[:limit]


@dataclass(frozen=True)
class Selection:
    indicator: Indicator
    regions: tuple[str, ...]
    breakdown: str = ""
    start: int | None = None
    end: int | None = None
    compare: frozenset[str] = frozenset()

    def region_codes(self, index: dict[str, RegionInfo]) -> list[str]:
        """The chosen regions, then riket, län and polisregion of each chosen kommun when compared with."""
        codes = [c for c in self.regions if c in index]
        for code in list(codes):
            info = index[code]
            extra = []
            if COMPARE_COUNTY in self.compare:
                extra.append(info.county)
            if COMPARE_POLICE in self.compare:
                extra.append(info.police_region)
            codes += [c for c in extra if c and c in index]
        if COMPARE_RIKET in self.compare and RIKET in index:
            codes.append(RIKET)
        return list(dict.fromkeys(codes))

    def query_items(self) -> list[tuple[str, str]]:
        """The selection as query-string pairs (for the export links)."""
        items = [("indicator", self.indicator.code)]
        items += [("regions", code) for code in self.regions]
        if self.breakdown:
            items.append(("breakdown", self.breakdown))
        items += [("compare", c) for c in sorted(self.compare)]
        items += [(k, str(v)) for k, v in (("start", self.start), ("end", self.end)) if v is not None]
        return items


@dataclass(frozen=True)
class Cell:
    text: str  # as shown: "8 310", "<5", "..", "saknas"
    value: float | None  # the number to draw and export; None when hidden or missing
    # "ok", "small" (a count below the threshold), "protected" (hidden so that a small count cannot be
    # worked out from the others), "suppressed" (by the source), "missing"
    state: str
    preliminary: bool = False
    margin: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Column:
    key: str  # region code, or "kommungrupp:<group>"
    label: str
    kind: str  # region kind, or "kommungrupp"


@dataclass(frozen=True)
class RankLine:
    region: str
    period: str
    rank: int
    of: int
    quartile: int
    phrase: str  # "bland de 25 procent av kommunerna med lägst värden", or ""
    group: str = ""
    group_rank: int | None = None
    group_size: int | None = None
    group_median: str = ""


@dataclass
class Dashboard:
    selection: Selection
    columns: list[Column]
    periods: list[str]
    cells: dict[tuple[str, str], Cell]
    ranks: list[RankLine] = field(default_factory=list)
    rank_note: str = ""
    notes: list[str] = field(default_factory=list)
    chart: object | None = None  # charts.Chart
    chart_note: str = ""
    protection: Protection | None = None  # sensitive indicators only

    @property
    def indicator(self) -> Indicator:
        return self.selection.indicator

    @property
    def chart_svg(self) -> str:
        """The chart cleaned for inlining in a page (the document renderers' SVG cleaner), or ""."""
        if self.chart is None:
            return ""
        from trygg.documents.svg import prepare_svg

        alt = f"{self.chart.title}. {self.chart.description}"
        return prepare_svg(self.chart.svg, alt=alt, id_prefix="dashboard-")

    @property
    def rows(self) -> list[tuple[str, list[Cell]]]:
        missing = Cell(str(MISSING_TEXT), None, "missing")
        return [(p, [self.cells.get((p, c.key), missing) for c in self.columns]) for p in self.periods]

    @property
    def hidden_small(self) -> bool:
        return any(cell.state == "small" for cell in self.cells.values())

    @property
    def hidden_protected(self) -> bool:
        return any(cell.state == "protected" for cell in self.cells.values())

    @property
    def suppression_note(self) -> str:
        """Shown whenever the indicator is a count: the rule applies to every value of the table; for a
        sensitive indicator with cells hidden to protect others, the note says what ".." means too."""
        note = suppression_note() if self.indicator.is_count else ""
        if self.hidden_protected:
            note = " ".join(filter(None, [note, str(PROTECTED_NOTE)]))
        return note


def load_dashboard(
    selection: Selection, index: dict[str, RegionInfo], *, with_chart: bool = True
) -> Dashboard:
    indicator = selection.indicator
    codes = selection.region_codes(index)
    observations = _in_range(
        Observation.objects.filter(
            indicator=indicator, region__code__in=codes, breakdown=selection.breakdown
        ),
        selection,
    ).values_list(
        "region__code",
        "period",
        "period_start",
        "period_end",
        "value",
        "status",
        "preliminary",
        "margin",
        "ci_low",
        "ci_high",
    )
    protection = protection_for(indicator, index) if indicator.needs_protection else None
    cells: dict[tuple[str, str], Cell] = {}
    order: dict[str, tuple[int, int]] = {}
    for code, period, start, end, value, status, prel, margin, low, high in observations:
        order[period] = (start, end)
        cell = _cell(indicator, value, status, prel, margin, low, high)
        if protection is not None:
            cell = protection.apply(cell, (period, code, selection.breakdown))
        cells[(period, code)] = cell
    columns = [Column(c, index[c].label, index[c].kind) for c in codes]
    dashboard = Dashboard(selection, columns, [], cells, protection=protection)

    kommuner = [c for c in selection.regions if c in index and index[c].kind == Region.Kind.MUNICIPALITY]
    # Ranking raw counts would rank kommuner by size; an indicator without direction has no "better".
    rankable = indicator.higher_is_better is not None and not indicator.is_count
    wants_peers = COMPARE_PEERS in selection.compare
    if kommuner and (rankable or wants_peers):
        values = _kommun_values(selection)
        for period, (start, end, _by_code) in values.items():
            order.setdefault(period, (start, end))
        if wants_peers:
            _add_peer_medians(dashboard, kommuner, index, values)
        if rankable:
            dashboard.ranks = _ranks(kommuner, index, values, indicator)
    if kommuner and not dashboard.ranks:
        dashboard.rank_note = _no_rank_note(indicator, rankable)
    # Peer medians are cells too, so a period with only a median still gets its row.
    dashboard.periods = sorted({p for p, _key in cells}, key=lambda p: (*order.get(p, (0, 0)), p))
    if with_chart:
        dashboard.chart, dashboard.chart_note = _chart(dashboard, order)
    return dashboard


def _no_rank_note(indicator: Indicator, rankable: bool) -> str:
    if rankable:
        return _("Placering visas när minst %(n)s kommuner har värden för samma period.") % {"n": MIN_RANKED}
    if indicator.is_count:
        return _("Placering bland kommunerna visas inte för antal (kommunerna är olika stora).")
    return _("Placering bland kommunerna visas inte: nyckeltalet har ingen riktning (högre är inte bättre).")


def _in_range(qs, selection: Selection):
    if selection.start is not None:
        qs = qs.filter(period_end__gte=selection.start)
    if selection.end is not None:
        qs = qs.filter(period_start__lte=selection.end)
    return qs


def _cell(indicator: Indicator, value, status, preliminary, margin=None, low=None, high=None) -> Cell:
    if status == Observation.Status.SUPPRESSED:
        return Cell(SUPPRESSED_TEXT, None, "suppressed", preliminary)
    if value is None:
        return Cell(str(MISSING_TEXT), None, "missing", preliminary)
    shown = suppress(value, is_count=indicator.is_count)
    if shown.suppressed:
        return Cell(shown.text, None, "small", preliminary)
    return Cell(shown.text, value, "ok", preliminary, margin, low, high)


PROTECTED_TEXT = ".."
PROTECTED_NOTE = gettext_lazy(
    "Värden markerade .. med status ”dold för att skydda små tal” döljs så att inget litet tal kan räknas "
    "fram ur summor, andra delar eller andelar (sekundär röjandekontroll)."
)
RATE_FACTOR = {Indicator.Unit.PER_100K: 1.0, Indicator.Unit.PER_1000: 100.0}  # to per 100 000


@dataclass(frozen=True)
class Protection:
    """Hidden cells of a sensitive indicator: (period, region code, breakdown) -> (text, state)."""

    hidden: dict[tuple[str, str, str], tuple[str, str]]

    def hides(self, key: tuple[str, str, str]) -> bool:
        return key in self.hidden

    def apply(self, cell: Cell, key: tuple[str, str, str]) -> Cell:
        if key not in self.hidden or cell.value is None:
            return cell
        text, state = self.hidden[key]
        return Cell(text, None, state, cell.preliminary)


def protection_for(indicator: Indicator, index: dict[str, RegionInfo]) -> Protection:
    """Secondary suppression over the indicator's whole table (one query), period by period."""
    rows = Observation.objects.filter(
        indicator=indicator, status=Observation.Status.OK, value__isnull=False
    ).values_list("period", "region__code", "breakdown", "value")
    by_period: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    for period, code, breakdown, value in rows:
        by_period[period][(code, breakdown)] = value
    limit = threshold()
    hidden: dict[tuple[str, str, str], tuple[str, str]] = {}
    for period, values in by_period.items():
        if indicator.is_count:
            counts = {key: round(v) for key, v in values.items()}
            result = protect(counts, _relations(counts, index), limit)
            for code, breakdown in result.primary:
                hidden[(period, code, breakdown)] = (f"<{limit}", "small")
            for code, breakdown in result.complementary:
                hidden[(period, code, breakdown)] = (PROTECTED_TEXT, "protected")
        elif indicator.unit in RATE_FACTOR:
            # The count behind a rate, with the population the app holds: a small one is as disclosive.
            from .analysis import count_from_rate

            for (code, breakdown), rate in values.items():
                population = index[code].population if code in index else None
                if population and rate >= 0:
                    count = count_from_rate(rate * RATE_FACTOR[indicator.unit], population)
                    if round(count) < limit:
                        hidden[(period, code, breakdown)] = (PROTECTED_TEXT, "protected")
    return Protection(hidden)


def _relations(values: dict[tuple[str, str], int], index: dict[str, RegionInfo]) -> list[Relation]:
    """total = sum(parts) relations among the keys present: breakdown dimensions within a region, and
    län = its kommuner, riket = its län, per breakdown (only when every part is present)."""
    relations = []
    by_region: dict[str, list[str]] = defaultdict(list)
    for code, breakdown in values:
        by_region[code].append(breakdown)
    for code, breakdowns in by_region.items():
        if "" not in breakdowns:
            continue
        dimensions: dict[str, list[str]] = defaultdict(list)
        for b in breakdowns:
            if b and ";" not in b and "=" in b:
                dimensions[b.split("=", 1)[0]].append(b)
        for parts in dimensions.values():
            relations.append(Relation((code, ""), tuple((code, b) for b in sorted(parts))))
    children: dict[str, list[str]] = defaultdict(list)
    for info in index.values():
        if info.kind == Region.Kind.MUNICIPALITY and info.county:
            children[info.county].append(info.code)
        elif info.kind == Region.Kind.COUNTY:
            children[RIKET].append(info.code)
    breakdowns = {b for _code, b in values}
    for parent, kids in children.items():
        for b in breakdowns:
            if (parent, b) in values and all((k, b) in values for k in kids):
                relations.append(Relation((parent, b), tuple((k, b) for k in sorted(kids))))
    return relations


def _kommun_values(selection: Selection) -> dict[str, tuple[int, int, dict[str, float]]]:
    """period -> (start, end, {kommun code: value}) for every kommun with a value; one query."""
    rows = _in_range(
        Observation.objects.filter(
            indicator=selection.indicator,
            breakdown=selection.breakdown,
            region__kind=Region.Kind.MUNICIPALITY,
            value__isnull=False,
        ),
        selection,
    ).values_list("period", "period_start", "period_end", "region__code", "value")
    out: dict[str, tuple[int, int, dict[str, float]]] = {}
    for period, start, end, code, value in rows:
        out.setdefault(period, (start, end, {}))[2][code] = value
    return out


def _add_peer_medians(dashboard: Dashboard, kommuner: list[str], index, values) -> None:
    groups = list(dict.fromkeys(index[c].group for c in kommuner if index[c].group))
    missing = [index[c].label for c in kommuner if not index[c].group]
    if missing:
        dashboard.notes.append(
            _("Kommungrupp saknas för %(names)s.") % {"names": ", ".join(missing)} + " " + str(GROUPS_HOWTO)
        )
    for group in groups:
        key = f"{COMPARE_PEERS}:{group}"
        dashboard.columns.append(Column(key, _("%(group)s, median") % {"group": group}, COMPARE_PEERS))
        for period, (_start, _end, by_code) in values.items():
            in_group = [c for c in by_code if index.get(c) and index[c].group == group]
            members = [by_code[c] for c in in_group]
            protection = dashboard.protection
            if members and protection is not None:
                # A median over a hidden value (one kommun alone: the value itself) is hidden with it.
                keys = [(period, c, dashboard.selection.breakdown) for c in in_group]
                if any(protection.hides(k) for k in keys):
                    dashboard.cells[(period, key)] = Cell(PROTECTED_TEXT, None, "protected")
                    continue
            if members:
                median = statistics.median(members)
                dashboard.cells[(period, key)] = _cell(
                    dashboard.indicator, median, Observation.Status.OK, False
                )


def _ranks(kommuner: list[str], index, values, indicator: Indicator) -> list[RankLine]:
    from .analysis import format_number, peer_comparison, quartile_phrase, rank

    lines = []
    by_end = sorted(values.items(), key=lambda item: (item[1][1], item[1][0], item[0]))
    for code in kommuner:
        latest = next(((p, by_code) for p, (_s, _e, by_code) in reversed(by_end) if code in by_code), None)
        if latest is None:
            continue
        period, by_code = latest
        if len(by_code) < MIN_RANKED:
            continue
        result = rank(by_code, indicator.higher_is_better)[code]
        phrase = quartile_phrase(result, _("värden"), low_word=_("lägst"), high_word=_("högst"))
        line = RankLine(index[code].label, period, result.rank, result.of, result.quartile, phrase)
        group = index[code].group
        if group:
            groups = {c: index[c].group for c in by_code if c in index}
            peers = peer_comparison(by_code, groups, code, indicator.higher_is_better)
            decimals = 0 if abs(peers.median) >= 100 else 1
            line = RankLine(
                line.region,
                period,
                line.rank,
                line.of,
                line.quartile,
                phrase,
                group,
                peers.rank.rank,
                peers.peers,
                format_number(peers.median, decimals),
            )
        lines.append(line)
    return lines


def _chart(dashboard: Dashboard, order: dict[str, tuple[int, int]]):
    """The table as a chart (years on the x axis), or (None, why not)."""
    from . import charts

    periods = dashboard.periods
    if not periods:
        return None, ""
    ends = [order.get(p, (0, 0))[1] for p in periods]
    if any(_SUB_YEAR.search(p) for p in periods) or len(set(ends)) != len(ends):
        return None, _("Diagrammet visas bara för årsvärden; se tabellen.")
    indicator = dashboard.indicator
    with_margins = indicator.unit == Indicator.Unit.PERCENT and any(
        c.margin is not None or c.low is not None for c in dashboard.cells.values()
    )
    series: dict[str, list[tuple]] = defaultdict(list)
    for (_period, cells), year in zip(dashboard.rows, ends, strict=True):
        for column, cell in zip(dashboard.columns, cells, strict=True):
            series[column.label].append(_point(year, cell, with_margins))
    plotted = {label: points for label, points in series.items() if any(p[1] is not None for p in points)}
    if not plotted:
        return None, _("Det finns inga värden att rita.")
    source = _("Källa: %(source)s") % {"source": indicator.source} if indicator.source else ""
    unit = indicator.get_unit_display()
    title = indicator.title
    if dashboard.selection.breakdown:
        title += f" ({dashboard.selection.breakdown.replace(';', ', ')})"
    draw = charts.ntu_chart if with_margins else charts.line_chart_rates
    return draw(plotted, title=title, ylabel=unit[:1].upper() + unit[1:], source=source), ""


def _point(year: int, cell: Cell, with_margins: bool) -> tuple:
    if not with_margins or cell.value is None:
        return (year, cell.value)
    if cell.low is not None and cell.high is not None and cell.low <= cell.value <= cell.high:
        return (year, cell.value, cell.low, cell.high)
    if cell.margin is not None:
        return (year, cell.value, max(0.0, cell.value - cell.margin), cell.value + cell.margin)
    return (year, cell.value)
