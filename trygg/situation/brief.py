"""The meeting brief (underlag till lägesbildsmötet) as a trygg.documents Document.

Period: from the day after the previous meeting up to and including the day before this meeting (14 days
when there is no earlier meeting). Contents: the last 4 weeks per week against the 12 weeks before and the
same weeks a year earlier (temporal.compare_periods, exact test); new incidents by place and category
against the usual level (the 12 weeks before the period, scaled to the period's length, an exact test per
cell and Benjamini-Hochberg across the cells); hotspots (Gi* over the last 90 days); active focus areas; open
and overdue actions. A constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from scipy import stats

from trygg.documents.model import BulletList, Cover, Document, ListItem, Paragraph, Run, Section, Table
from trygg.places.models import Municipality, Place

from . import wording
from .hotspots import bh_reject
from .models import Action, FocusArea, Incident, Meeting
from .queries import CellRow, IncidentFilter, hotspot_analysis, hotspot_rows
from .temporal import YEAR_SHIFT, PeriodComparison, RateChange, Window, compare_periods

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEFAULT_PERIOD_DAYS = 14
BASELINE_DAYS = 84
HOTSPOT_DAYS = 90
MAX_ROWS = 30
NO_PLACE = "Utan namngiven plats"
FDR_Q = 0.05  # Benjamini-Hochberg level across the place × category cells
RECENT_WEEKS, TREND_BASELINE_WEEKS = 4, 12


@dataclass(frozen=True)
class Period:
    start: dt.date  # inclusive
    end: dt.date  # exclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end - dt.timedelta(days=1):%Y-%m-%d}"


def brief_period(meeting: Meeting, previous: Meeting | None) -> Period:
    start = (
        previous.date + dt.timedelta(days=1)
        if previous
        else meeting.date - dt.timedelta(days=DEFAULT_PERIOD_DAYS)
    )
    return Period(min(start, meeting.date), meeting.date)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM)


@dataclass(frozen=True)
class CountRow:
    place: str
    category: str
    count: int
    expected: float
    p_value: float
    significant: bool = False  # rejected by Benjamini-Hochberg across all cells tested together

    @property
    def assessment(self) -> str:
        if self.significant and self.count > self.expected:
            return "Fler än vanligt"
        if self.significant and self.count < self.expected:
            return "Färre än vanligt"
        return "Som vanligt"


def rate_p_value(count: int, baseline: int, days: int, baseline_days: int) -> float:
    """Exact two-sided test of equal daily rates (conditional binomial on the total)."""
    total = count + baseline
    if total == 0:
        return 1.0
    return float(stats.binomtest(count, total, days / (days + baseline_days)).pvalue)


def count_rows(period: Period, municipality: Municipality) -> tuple[list[CountRow], int, int]:
    """Rows per (place, category) present in the period or its baseline, the period's total and the
    baseline's total. One GROUP BY query counting both windows.

    Every cell present in either window is tested (exact test of equal daily rates); the cells are one
    family, so "more/fewer than usual" needs Benjamini-Hochberg rejection at FDR_Q across all of them, not
    p < 0.05 in the cell alone: with 100 cells, five would pass p < 0.05 by chance."""
    baseline_start = _at(period.start - dt.timedelta(days=BASELINE_DAYS))
    split = _at(period.start)
    grouped = (
        Incident.objects.filter(
            municipality=municipality, occurred_from__gte=baseline_start, occurred_from__lt=_at(period.end)
        )
        .order_by()
        .values_list("place__name", "category__name")
        .annotate(
            current=Count("id", filter=Q(occurred_from__gte=split)),
            baseline=Count("id", filter=Q(occurred_from__lt=split)),
        )
    )
    counts: dict[tuple[str, str], list[int]] = {}
    for place, category, current, baseline in grouped:
        cell = counts.setdefault((place or NO_PLACE, category), [0, 0])
        cell[0] += current
        cell[1] += baseline
    cells = sorted(counts)
    p_values = [rate_p_value(*counts[c], period.days, BASELINE_DAYS) for c in cells]
    rejected = bh_reject(np.array(p_values), FDR_Q) if cells else np.zeros(0, dtype=bool)
    scale = period.days / BASELINE_DAYS
    rows = [
        CountRow(
            place, category, counts[(place, category)][0], counts[(place, category)][1] * scale, p, bool(r)
        )
        for (place, category), p, r in zip(cells, p_values, rejected, strict=True)
    ]
    rows = [r for r in rows if r.count > 0 or r.significant]
    rows.sort(key=lambda r: (-r.count, r.place, r.category))
    return rows, sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())


def weekly_trend(end: dt.date, municipality: Municipality) -> PeriodComparison:
    """The last RECENT_WEEKS weeks before ``end`` against the TREND_BASELINE_WEEKS weeks before them and the
    same weeks 52 weeks earlier (temporal.compare_periods). One query: incidents per local day in those
    windows (their edges are local midnights, so day resolution is exact and the rows stay few whatever
    the number of incidents)."""
    recent_start = end - dt.timedelta(weeks=RECENT_WEEKS)
    baseline_start = recent_start - dt.timedelta(weeks=TREND_BASELINE_WEEKS)
    shift = dt.timedelta(days=int(YEAR_SHIFT / np.timedelta64(1, "D")))
    windows = Q(occurred_from__gte=_at(baseline_start), occurred_from__lt=_at(end)) | Q(
        occurred_from__gte=_at(recent_start - shift), occurred_from__lt=_at(end - shift)
    )
    per_day = (
        Incident.objects.filter(windows, municipality=municipality)
        .annotate(day=TruncDate("occurred_from", tzinfo=STOCKHOLM))
        .order_by()
        .values_list("day")
        .annotate(n=Count("id"))
    )
    rows = list(per_day)
    days = np.array([day for day, _ in rows], dtype="datetime64[D]").astype("datetime64[s]")
    times = np.repeat(days, np.array([n for _, n in rows], dtype=np.int64))
    return compare_periods(times, end=end, recent_weeks=RECENT_WEEKS, baseline_weeks=TREND_BASELINE_WEEKS)


def _p(text: str, bold_prefix: str = "") -> Paragraph:
    runs = [Run(bold_prefix, bold=True)] if bold_prefix else []
    return Paragraph([*runs, Run(text)])


def _num(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _p_text(p: float) -> str:
    return "p < 0,001" if p < 0.001 else f"p = {p:.3f}".replace(".", ",")


def _window_label(window) -> str:
    start = window.start.astype("datetime64[D]").item()
    last = (window.end - np.timedelta64(1, "D")).astype("datetime64[D]").item()
    return f"{start:%Y-%m-%d} – {last:%Y-%m-%d}"


def _change_sentence(change: RateChange, reference: str) -> str:
    """What the exact test says about the last weeks against a reference window, without claiming more:
    a small p says the difference is larger than chance usually gives, not why; a large p does not say
    that nothing changed."""
    if change.count == 0 and change.reference_count == 0:
        return f"Inga händelser de senaste {RECENT_WEEKS} veckorna eller {reference}."
    if change.ratio is None:
        return f"{reference[0].upper()}{reference[1:]} registrerades inga händelser, så det finns inget att jämföra med."
    direction = "fler" if change.ratio > 1 else "färre"
    per_week = f"{_num(change.per_week)} mot {_num(change.reference_per_week)} per vecka"
    if change.p_value < 0.05:
        return (
            f"Jämfört med {reference} registrerades {direction} händelser per vecka ({per_week}). "
            "Skillnaden är större än vad slumpen brukar ge, men säger inte vad den beror på."
        )
    return (
        f"Ingen säker skillnad jämfört med {reference} ({per_week}): skillnaden ryms inom den slumpmässiga "
        "variationen. Det betyder inte att nivån är oförändrad, bara att skillnaden inte går att skilja från "
        "slumpen."
    )


def _num2(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _trend_blocks(trend: PeriodComparison) -> list:
    """The section in words and plain figures; the ratios and the test are in the appendix."""
    table, *_rest = _trend_appendix(trend)
    plain = Table(
        ["Period", "Händelser", "Per vecka"],
        [row[:3] for row in table.rows],
        caption=table.caption,
        numeric_columns=(1, 2),
    )
    return [
        plain,
        _p(_change_sentence(trend.vs_baseline, f"de {TREND_BASELINE_WEEKS} veckorna före")),
        _p(_change_sentence(trend.vs_last_year, f"samma {RECENT_WEEKS} veckor förra året")),
        _p(
            "De 12 veckorna före kan ligga under en annan årstid; jämförelsen med samma veckor förra året tar "
            "hänsyn till årstiden men inte till förändringar sedan dess. Siffror och metod: se bilagan."
        ),
    ]


def _trend_appendix(trend: PeriodComparison) -> list:
    recent = trend.vs_baseline
    rows = [
        [
            f"Senaste {RECENT_WEEKS} veckorna ({_window_label(trend.recent)})",
            str(recent.count),
            _num(recent.per_week),
            "–",
            "–",
        ]
    ]
    for label, window, change in (
        (f"De {TREND_BASELINE_WEEKS} veckorna före", trend.baseline, trend.vs_baseline),
        (f"Samma {RECENT_WEEKS} veckor förra året", trend.last_year, trend.vs_last_year),
    ):
        rows.append(
            [
                f"{label} ({_window_label(window)})",
                str(change.reference_count),
                _num(change.reference_per_week),
                _num2(change.ratio) if change.ratio is not None else "–",
                _p_text(change.p_value),
            ]
        )
    return [
        Table(
            ["Period", "Händelser", "Per vecka", "Kvot", "Exakt test"],
            rows,
            caption=f"Händelser per vecka: de senaste {RECENT_WEEKS} veckorna mot tidigare perioder",
            numeric_columns=(1, 2, 3),
        ),
        _p(
            "Kvoten är antalet per vecka de senaste veckorna delat med antalet per vecka i jämförelseperioden. "
            "Testet (exakt villkorligt binomialtest) förutsätter att händelserna inträffar oberoende av "
            "varandra; flera rapporter om samma tillfälle eller en ändrad rapportering gör skillnader säkrare "
            "än de är. En skillnad kallas större än slumpen när p < 0,05."
        ),
    ]


def _window_json(window) -> list[str]:
    return [str(window.start), str(window.end)]


def _change_json(change: RateChange) -> list:
    return [change.count, change.weeks, change.reference_count, change.reference_weeks, change.p_value]


def meeting_figures(meeting: Meeting, municipality: Municipality, previous: Meeting | None, *, today) -> dict:
    """The brief's figures as plain JSON values (stored on the meeting and read afterwards): the period and
    its counts per place and category, the weekly trend and the hotspots. Three queries plus the hotspot
    analysis (cached). ``final``: the period had closed (the meeting's day had come) when computed."""
    period = brief_period(meeting, previous)
    rows, total, baseline_total = count_rows(period, municipality)
    trend = weekly_trend(meeting.date, municipality)
    hot_filter = IncidentFilter(
        start=meeting.date - dt.timedelta(days=HOTSPOT_DAYS), end=meeting.date - dt.timedelta(days=1)
    )
    result, scale = hotspot_analysis(hot_filter, municipality)
    places = list(
        Place.objects.for_municipality(municipality).only("name", "lat", "lon", "h3_r7", "h3_r8", "h3_r9")
    )
    hot = [r for r in hotspot_rows(result, places) if r.css_class.startswith("hot")]
    return {
        "period": [period.start.isoformat(), period.end.isoformat()],
        "final": today >= meeting.date,
        "rows": [[r.place, r.category, r.count, r.expected, r.p_value, r.significant] for r in rows],
        "total": total,
        "baseline_total": baseline_total,
        "trend": {
            "recent": _window_json(trend.recent),
            "baseline": _window_json(trend.baseline),
            "last_year": _window_json(trend.last_year),
            "vs_baseline": _change_json(trend.vs_baseline),
            "vs_last_year": _change_json(trend.vs_last_year),
        },
        "hot": [[r.cell, r.count, r.z, r.label, r.css_class, list(r.places), r.name] for r in hot],
        "resolution": scale.resolution,
    }


def figures_are_current(meeting: Meeting, previous: Meeting | None) -> bool:
    """Stored figures are read as long as they were computed after the period closed and for the period
    the meeting has now (a changed date, or a new meeting before it, changes the period)."""
    figures = meeting.figures
    if not figures or not figures.get("final"):
        return False
    period = brief_period(meeting, previous)
    return figures.get("period") == [period.start.isoformat(), period.end.isoformat()]


def _trend_from(figures: dict) -> PeriodComparison:
    t = figures["trend"]

    def window(pair):
        return Window(np.datetime64(pair[0]), np.datetime64(pair[1]))

    return PeriodComparison(
        recent=window(t["recent"]),
        baseline=window(t["baseline"]),
        last_year=window(t["last_year"]),
        vs_baseline=RateChange(*t["vs_baseline"]),
        vs_last_year=RateChange(*t["vs_last_year"]),
        by_cell=None,
    )


def build_brief(
    meeting: Meeting, municipality: Municipality, *, today: dt.date | None = None, figures: dict | None = None
) -> Document:
    """The brief of the meeting: only its own municipality's incidents, focus areas and actions. The figures
    are the stored ones when given (see meeting_figures), else computed now; focus areas and actions are
    always read as they are today."""
    if municipality.pk != meeting.municipality_id:
        raise ValueError("the brief is built for the meeting's own municipality")
    today = today or meeting.date
    previous = meeting.previous()
    if figures is None:
        figures = meeting_figures(meeting, municipality, previous, today=today)
    period = Period(*(dt.date.fromisoformat(d) for d in figures["period"]))
    rows = [CountRow(*row) for row in figures["rows"]]
    total, baseline_total = figures["total"], figures["baseline_total"]
    trend = _trend_from(figures)
    expected_total = baseline_total * period.days / BASELINE_DAYS
    total_p = rate_p_value(total, baseline_total, period.days, BASELINE_DAYS)
    # Figures stored before areas had names have six fields; the label follows today's wording.
    hot = [CellRow(*row[:6], name=row[6] if len(row) > 6 else "") for row in figures["hot"]]
    for row in hot:
        row.label = wording.plain_label(row.css_class)
    scale_resolution = figures["resolution"]

    focus_areas = list(
        FocusArea.objects.filter(municipality=municipality)
        .active_on(meeting.date)
        .select_related("place", "district", "category")
    )
    actions = list(
        Action.objects.filter(municipality=municipality).open().with_related().order_by("due_date", "pk")
    )

    since = (
        f"sedan förra mötet ({previous.date:%Y-%m-%d})" if previous else f"de senaste {period.days} dagarna"
    )
    summary = [
        _p(
            f"Perioden {period.label()} ({since}) registrerades {total} händelser. Vanlig nivå för lika lång tid "
            f"är omkring {_num(expected_total)} (snittet för de {BASELINE_DAYS // 7} veckorna före)."
            + (
                " Skillnaden är större än vad slumpen brukar ge."
                if total_p < 0.05
                else " Skillnaden ryms inom den vanliga variationen."
            )
        ),
        _p(
            f"{sum(1 for r in rows if r.assessment == 'Fler än vanligt')} kombinationer av plats och kategori har "
            "fler händelser än vanligt (efter korrigering för att många kombinationer prövas samtidigt). "
            f"{len(hot)} områden med fler händelser än vanligt de senaste {HOTSPOT_DAYS} dagarna. "
            f"{len(actions)} öppna åtgärder, varav {sum(a.is_overdue(today) for a in actions)} försenade."
        ),
    ]
    table_rows = [
        [r.place, r.category, str(r.count), _num(r.expected), r.assessment] for r in rows[:MAX_ROWS]
    ]
    incidents_blocks = [
        Table(
            ["Plats", "Kategori", "Antal", "Vanlig nivå", "Bedömning"],
            table_rows,
            caption=f"Händelser {period.label()} per plats och kategori",
            numeric_columns=(2, 3),
        )
        if table_rows
        else _p("Inga händelser under perioden.")
    ]
    if len(rows) > MAX_ROWS:
        incidents_blocks.append(_p(f"Ytterligare {len(rows) - MAX_ROWS} rader visas i tabellvyn."))
    incidents_blocks.append(
        _p(
            "Vanlig nivå är antalet under de 12 veckorna före perioden, omräknat till periodens längd. "
            "”Fler än vanligt” och ”Färre än vanligt” betyder att skillnaden håller även när alla kombinationer "
            "av plats och kategori prövas samtidigt. Övriga rader står som ”Som vanligt” även när antalet "
            "skiljer sig: skillnaden går inte att skilja från slumpen. Metod: se bilagan."
        )
    )

    hotspot_blocks: list = [
        _p(
            f"Områden där det de senaste {HOTSPOT_DAYS} dagarna har hänt klart fler händelser än i kommunen som "
            "helhet. Metod: se bilagan."
        )
    ]
    if hot:
        hotspot_blocks.append(
            Table(
                ["Område", "Antal", "Bedömning"],
                [
                    [r.name or ", ".join(r.places) or "Område utan namngiven plats", str(r.count), r.label]
                    for r in hot
                ],
                caption="Områden med fler händelser än vanligt",
                numeric_columns=(1,),
            )
        )
    else:
        hotspot_blocks.append(_p("Inga områden med fler händelser än vanligt."))
    appendix = [
        *_trend_appendix(trend),
        _p(
            "Händelser per plats och kategori: ett exakt test per kombination mot de 12 veckorna före, och "
            "Benjamini–Hochbergs korrigering för att många kombinationer prövas samtidigt, så att högst omkring "
            "5 % av de markerade kombinationerna väntas vara falsklarm."
        ),
        _p(
            f"Områden med fler händelser än vanligt: kommunen delas i H3-celler (upplösning {scale_resolution}); "
            "varje cell och dess grannar jämförs med kommunen som helhet enligt Getis-Ord Gi*, med kontroll av "
            "andelen falska upptäckter (Benjamini–Hochberg). ”Mycket säkert”, ”säkert” och ”ganska säkert” "
            "motsvarar en andel falska upptäckter på högst 1, 5 och 10 %. Ett område namnges efter platserna i "
            "cellen, annars efter närmaste namngivna plats eller kommundelen."
        ),
    ]
    if hot:
        appendix.append(
            Table(
                ["Område", "Antal", "Gi* z"],
                [[r.name or ", ".join(r.places) or "–", str(r.count), _num2(r.z)] for r in hot],
                caption="Områden med fler händelser än vanligt: Gi*-värde",
                numeric_columns=(1, 2),
            )
        )

    focus_blocks = (
        [
            BulletList(
                [
                    ListItem(
                        [
                            Run(f.area_name, bold=True),
                            Run(f": {f.problem} ({f.start:%Y-%m-%d} – {f.end:%Y-%m-%d})"),
                        ]
                    )
                    for f in focus_areas
                ]
            )
        ]
        if focus_areas
        else [_p("Inga aktiva fokusområden.")]
    )

    action_rows = [
        [
            a.title,
            a.get_kind_display(),
            _responsible(a),
            f"{a.due_date:%Y-%m-%d}" if a.due_date else "–",
            a.get_status_display() + (" (försenad)" if a.is_overdue(today) else ""),
            a.focus_area.area_name if a.focus_area_id else "–",
        ]
        for a in actions
    ]
    action_blocks = (
        [
            Table(
                ["Åtgärd", "Typ", "Ansvarig", "Klart senast", "Status", "Fokusområde"],
                action_rows,
                caption="Öppna åtgärder",
            )
        ]
        if action_rows
        else [_p("Inga öppna åtgärder.")]
    )

    return Document(
        cover=Cover(
            organisation=municipality.full_name,
            title=f"Underlag lägesbildsmöte {meeting.date:%Y-%m-%d}",
            recipient=meeting.get_kind_display(),
            date=f"{meeting.date:%Y-%m-%d}",
        ),
        sections=[
            Section("1", "Sammanfattning", summary),
            Section("2", "Utveckling de senaste veckorna", _trend_blocks(trend)),
            Section("3", "Nya händelser per plats och kategori", incidents_blocks),
            Section("4", "Områden med fler händelser än vanligt", hotspot_blocks),
            Section("5", "Aktiva fokusområden", focus_blocks),
            Section("6", "Öppna och försenade åtgärder", action_blocks),
            Section("7", "Bilaga: metod och siffror", appendix),
        ],
        with_contents=False,
    )


def _responsible(action: Action) -> str:
    parts = [str(x) for x in (action.responsible_organisation, action.responsible_unit) if x is not None]
    return ", ".join(parts) or "–"
