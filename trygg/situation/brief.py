"""The meeting brief (underlag till lägesbildsmötet) as a trygg.documents Document.

Period: from the day after the previous meeting up to and including the day before this meeting (14 days
when there is no earlier meeting). Contents: new incidents by place and category against the usual level
(the 12 weeks before the period, scaled to the period's length, with an exact test), hotspots (Gi* over the
last 90 days), active focus areas, and open and overdue actions. A constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count
from scipy import stats

from trygg.documents.model import BulletList, Cover, Document, ListItem, Paragraph, Run, Section, Table
from trygg.places.models import Municipality, Place

from .models import Action, FocusArea, Incident, Meeting
from .queries import IncidentFilter, hotspot_result, hotspot_rows

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEFAULT_PERIOD_DAYS = 14
BASELINE_DAYS = 84
HOTSPOT_DAYS = 90
MAX_ROWS = 30
NO_PLACE = "Utan namngiven plats"


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

    @property
    def assessment(self) -> str:
        if self.p_value < 0.05 and self.count > self.expected:
            return "Fler än vanligt"
        if self.p_value < 0.05 and self.count < self.expected:
            return "Färre än vanligt"
        return "Som vanligt"


def rate_p_value(count: int, baseline: int, days: int, baseline_days: int) -> float:
    """Exact two-sided test of equal daily rates (conditional binomial on the total)."""
    total = count + baseline
    if total == 0:
        return 1.0
    return float(stats.binomtest(count, total, days / (days + baseline_days)).pvalue)


def count_rows(period: Period) -> tuple[list[CountRow], int, int]:
    """Rows per (place, category) present in the period or its baseline, the period's total and the
    baseline's total. Two GROUP BY queries."""

    def grouped(start: dt.date, end: dt.date) -> dict[tuple[str, str], int]:
        rows = (
            Incident.objects.filter(occurred_from__gte=_at(start), occurred_from__lt=_at(end))
            .order_by()
            .values_list("place__name", "category__name")
            .annotate(n=Count("id"))
        )
        return {(p or NO_PLACE, c): n for p, c, n in rows}

    current = grouped(period.start, period.end)
    baseline = grouped(period.start - dt.timedelta(days=BASELINE_DAYS), period.start)
    scale = period.days / BASELINE_DAYS
    rows = [
        CountRow(
            place,
            category,
            current.get((place, category), 0),
            baseline.get((place, category), 0) * scale,
            rate_p_value(
                current.get((place, category), 0),
                baseline.get((place, category), 0),
                period.days,
                BASELINE_DAYS,
            ),
        )
        for place, category in set(current) | set(baseline)
    ]
    rows = [r for r in rows if r.count > 0 or r.p_value < 0.05]
    rows.sort(key=lambda r: (-r.count, r.place, r.category))
    return rows, sum(current.values()), sum(baseline.values())


def _p(text: str, bold_prefix: str = "") -> Paragraph:
    runs = [Run(bold_prefix, bold=True)] if bold_prefix else []
    return Paragraph([*runs, Run(text)])


def _num(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def build_brief(meeting: Meeting, municipality: Municipality, *, today: dt.date | None = None) -> Document:
    today = today or meeting.date
    previous = meeting.previous()
    period = brief_period(meeting, previous)
    rows, total, baseline_total = count_rows(period)
    expected_total = baseline_total * period.days / BASELINE_DAYS
    total_p = rate_p_value(total, baseline_total, period.days, BASELINE_DAYS)

    hot_filter = IncidentFilter(
        start=meeting.date - dt.timedelta(days=HOTSPOT_DAYS), end=meeting.date - dt.timedelta(days=1)
    )
    result = hotspot_result(hot_filter, municipality)
    places = list(Place.objects.for_municipality(municipality).only("name", "h3_r7", "h3_r8", "h3_r9"))
    hot = [r for r in hotspot_rows(result, places) if r.css_class.startswith("hot")]

    focus_areas = list(
        FocusArea.objects.active_on(meeting.date).select_related("place", "district", "category")
    )
    actions = list(Action.objects.open().with_related().order_by("due_date", "pk"))

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
            f"fler händelser än vanligt. {len(hot)} hotspots (Gi*) de senaste {HOTSPOT_DAYS} dagarna. "
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
            "”Fler än vanligt” betyder att skillnaden är statistiskt säker (exakt test, p < 0,05)."
        )
    )

    hotspot_blocks: list = [
        _p(
            f"Celler (H3, upplösning {hot_filter.resolution}) med signifikant fler händelser än omgivningen de "
            f"senaste {HOTSPOT_DAYS} dagarna, enligt Getis-Ord Gi* med kontroll av andelen falska upptäckter."
        )
    ]
    if hot:
        hotspot_blocks.append(
            Table(
                ["Platser i cellen", "Antal", "Klass", "Cell"],
                [[", ".join(r.places) or "–", str(r.count), r.label, r.cell] for r in hot],
                caption="Hotspots",
                numeric_columns=(1,),
            )
        )
    else:
        hotspot_blocks.append(_p("Inga signifikanta hotspots."))

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
            Section("2", "Nya händelser per plats och kategori", incidents_blocks),
            Section("3", "Hotspots", hotspot_blocks),
            Section("4", "Aktiva fokusområden", focus_blocks),
            Section("5", "Öppna och försenade åtgärder", action_blocks),
        ],
        with_contents=False,
    )


def _responsible(action: Action) -> str:
    parts = [str(x) for x in (action.responsible_organisation, action.responsible_unit) if x is not None]
    return ", ".join(parts) or "–"
