"""Demo lägesbild: for Kungälv ~2 years of synthetic incidents, cameras, meetings, focus areas and actions
linked to the plan; for Ale (made up) a small set of incidents at a few places, no meetings.

Incidents are drawn from a seeded random generator (numpy), concentrated where the reference report
("Uppföljning 2023 Trygg i Kungälv", section 4.3) says the problems are: Vita fläcken, Komarken, Kode and
Munkegärde, with summer peaks (motor meets, thefts at Bohus fästning's camper sites) and New Year fireworks.
Two actions reduce incidents after they start (Vita fläcken, Brushanestigen) so the effect check has a real
signal to find; others do not. All of it is invented for demonstration; no real person or event is in it.

Everything is written through trygg.situation.actions (the incidents through one bulk action that redacts
like any write and leaves one audit row for the batch). The texts are in data/situation/kungalv.json.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.utils import timezone

from trygg.accounts import tenancy
from trygg.accounts.models import Organisation
from trygg.demo.users import demo_unit
from trygg.lib.geo import cells_for_points
from trygg.places.boundary import boundary_of, municipality_boundary
from trygg.places.models import District, Municipality, Place
from trygg.plans.models import Activity
from trygg.situation.actions import (
    do_bulk_create_incidents,
    do_bulk_delete_incidents,
    do_save_action,
    do_save_camera,
    do_save_category,
    do_save_focus_area,
    do_save_meeting,
)
from trygg.situation.models import Action, CameraSite, Category, FocusArea, Incident, Meeting
from trygg.situation.taxonomy import CATEGORIES

from .users import POLICE

TEXTS = Path(__file__).resolve().parent / "data" / "situation" / "kungalv.json"

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAYS = 730
METRES_PER_DEG_LAT = 111_320.0

# The municipality's own organisation is named after it; the housing company differs per municipality.
ORGS = {
    "police": (POLICE, Organisation.Kind.POLICE),
    "transport": ("Västtrafik", Organisation.Kind.TRANSPORT),
    "rescue": ("Bohus räddningstjänstförbund", Organisation.Kind.RESCUE),
    "guards": ("Bevakningsföretag (väktare)", Organisation.Kind.SECURITY),
}
HOUSING = {"1482": "Kungälvsbostäder", "1440": "Alebyggen"}
UNITS = ["Säkerhetsenheten", "Trygga ungdomsmiljöer", "Trafik Gata Park"]

# Which organisations report which categories (weights).
REPORTERS = {
    "ungdomshang": {"guards": 3, "municipality": 3, "police": 1},
    "ordningsstorning": {"police": 3, "guards": 2, "transport": 1},
    "motorburna": {"police": 3, "guards": 2},
    "stold-ur-motorfordon": {"police": 1},
    "stold-och-inbrott": {"police": 1},
    "narkotikaforsaljning": {"police": 3, "housing": 1},
    "narkotikapaverkan": {"police": 1},
    "skadegorelse": {"housing": 3, "transport": 1, "municipality": 1},
    "brand": {"rescue": 1},
    "fyrverkerier": {"police": 1, "housing": 1, "rescue": 1},
    "nedskrapning": {"municipality": 1, "housing": 1},
    "otrygg-plats": {"municipality": 2, "housing": 1},
    "hot-och-vald": {"police": 1},
    "ovrigt": {"police": 1},
}

# Share of reports that give a time window rather than an instant (found in the morning, etc.).
WINDOW_SHARE = {
    "skadegorelse": 0.7,
    "stold-ur-motorfordon": 0.8,
    "stold-och-inbrott": 0.8,
    "nedskrapning": 0.5,
    "otrygg-plats": 0.3,
}


@dataclass(frozen=True)
class Source:
    place: str | None  # None: background spread over the town centres
    per_week: float
    categories: dict[str, float]
    season: str = "flat"
    scatter_m: float = 120.0


SOURCES = [
    Source(
        "Vita fläcken",
        5.0,
        {"motorburna": 0.5, "ungdomshang": 0.3, "nedskrapning": 0.1, "ordningsstorning": 0.1},
        "motor_summer",
    ),
    Source(
        "Komarken",
        4.0,
        {
            "narkotikaforsaljning": 0.3,
            "narkotikapaverkan": 0.15,
            "ordningsstorning": 0.2,
            "hot-och-vald": 0.15,
            "skadegorelse": 0.2,
        },
    ),
    Source(
        "Kode busstation",
        3.0,
        {"ungdomshang": 0.4, "skadegorelse": 0.3, "ordningsstorning": 0.2, "otrygg-plats": 0.1},
    ),
    Source("Guntorpsvägen", 1.5, {"ungdomshang": 0.5, "skadegorelse": 0.3, "ordningsstorning": 0.2}),
    Source(
        "Munkegärdeskolan",
        4.0,
        {"ungdomshang": 0.5, "ordningsstorning": 0.2, "skadegorelse": 0.2, "nedskrapning": 0.1},
        "school",
    ),
    Source(
        "Kongahällacenter/Resecentrum",
        2.5,
        {
            "ordningsstorning": 0.3,
            "stold-och-inbrott": 0.2,
            "otrygg-plats": 0.2,
            "ungdomshang": 0.2,
            "hot-och-vald": 0.1,
        },
    ),
    Source(
        "Nordmannatorget", 1.5, {"ungdomshang": 0.4, "ordningsstorning": 0.3, "nedskrapning": 0.3}, "summer"
    ),
    Source("Bohus fästning", 0.8, {"stold-ur-motorfordon": 0.8, "skadegorelse": 0.2}, "camper_summer"),
    Source("Utmarksvägen", 1.2, {"narkotikaforsaljning": 0.5, "ungdomshang": 0.3, "nedskrapning": 0.2}),
    Source(
        "Brushanestigen/Trankärsvägen",
        1.5,
        {"otrygg-plats": 0.6, "skadegorelse": 0.2, "ordningsstorning": 0.2},
    ),
    Source(
        "Skarpe Nord", 1.0, {"skadegorelse": 0.3, "ungdomshang": 0.3, "brand": 0.2, "ordningsstorning": 0.2}
    ),
    Source(
        "Rollsbo",
        2.0,
        {"motorburna": 0.8, "nedskrapning": 0.1, "stold-ur-motorfordon": 0.1},
        "motor_summer",
        250.0,
    ),
    Source(
        "Marstrands hamn",
        0.5,
        {"ordningsstorning": 0.5, "nedskrapning": 0.3, "stold-och-inbrott": 0.2},
        "summer",
    ),
    Source(
        None,
        14.0,
        {
            "ordningsstorning": 0.15,
            "skadegorelse": 0.2,
            "stold-och-inbrott": 0.2,
            "brand": 0.08,
            "nedskrapning": 0.1,
            "hot-och-vald": 0.07,
            "narkotikapaverkan": 0.05,
            "ungdomshang": 0.1,
            "motorburna": 0.05,
            "stold-ur-motorfordon": 0.05,
            "otrygg-plats": 0.05,
            "ovrigt": 0.05,
        },
        "flat",
        1500.0,
    ),
]
ALE_SOURCES = [
    Source("Ale torg", 2.0, {"ungdomshang": 0.4, "ordningsstorning": 0.3, "stold-och-inbrott": 0.3}),
    Source(
        "Älvängens station", 1.5, {"ungdomshang": 0.5, "skadegorelse": 0.3, "otrygg-plats": 0.2}, "school"
    ),
    Source("Nödinge station", 1.0, {"stold-ur-motorfordon": 0.5, "skadegorelse": 0.5}),
    Source("Surte centrum", 0.7, {"ordningsstorning": 0.5, "nedskrapning": 0.5}, "summer"),
]
# Background centres: (lat, lon, share).
BACKGROUND_CENTRES = [
    (57.8710, 11.9760, 0.6),
    (57.8620, 11.9200, 0.2),
    (57.9490, 11.8570, 0.12),
    (57.8870, 11.5880, 0.08),
]
FIREWORK_PLACES = [
    "Komarken",
    "Skarpe Nord",
    "Kode busstation",
    "Nordmannatorget",
    "Kongahällacenter/Resecentrum",
    "Munkegärdeskolan",
    "Vita fläcken",
]

# Hour-of-day profile (evening and night heavy), normalised below.
HOURS = np.array([4, 3, 2, 1, 0.5, 0.3, 0.3, 0.5, 1, 1, 1, 1.2, 1.3, 1.4, 1.6, 2, 2.5, 3, 4, 5, 6, 6.5, 6, 5])
HOURS = HOURS / HOURS.sum()


def _season(kind: str, days: list[dt.date]) -> np.ndarray:
    months = np.array([d.month for d in days])
    weekday = np.array([d.weekday() for d in days])
    weekend = np.where(weekday >= 4, 1.4, 0.85)
    if kind == "motor_summer":
        return np.where(np.isin(months, [5, 6, 7, 8]), 3.0, 0.6) * np.where(weekday >= 4, 2.0, 0.6)
    if kind == "camper_summer":
        return np.where(np.isin(months, [6, 7, 8]), 5.0, 0.25)
    if kind == "summer":
        return np.where(np.isin(months, [6, 7, 8]), 2.5, 0.7) * weekend
    if kind == "school":
        return np.where(np.isin(months, [7]), 0.3, 1.1) * np.where(weekday >= 5, 0.6, 1.1)
    return weekend


def _fireworks(days: list[dt.date]) -> np.ndarray:
    """Per-day rate of firework reports: a sharp New Year peak, a smaller one at Easter eve."""
    rate = np.zeros(len(days))
    for i, d in enumerate(days):
        if (d.month == 12 and d.day >= 26) or (d.month == 1 and d.day <= 2):
            rate[i] = 25.0 if (d.month, d.day) in ((12, 31), (1, 1)) else 3.0
    return rate


def _scatter(rng, lat, lon, n, metres):
    dlat = rng.normal(0, metres / METRES_PER_DEG_LAT, n)
    dlon = rng.normal(0, metres / (METRES_PER_DEG_LAT * np.cos(np.radians(lat))), n)
    return lat + dlat, lon + dlon


class _Builder:
    def __init__(self, rng, today: dt.date, municipality: Municipality, scale: float):
        self.rng, self.scale = rng, scale
        self.days = [today - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
        self.boundary = municipality_boundary(municipality, tolerance_m=0)
        self.rows: list[tuple] = []  # (day_index, category_slug, lat, lon, place_name|None, precise)
        self.multipliers: dict[str, np.ndarray] = {}

    def reduce_after(self, place: str, start: dt.date, factor: float) -> None:
        mask = np.array([d >= start for d in self.days])
        self.multipliers[place] = np.where(mask, factor, 1.0)

    def add(
        self,
        place: Place | None,
        rate: np.ndarray,
        categories: dict[str, float],
        scatter_m: float,
        centre=None,
    ):
        counts = self.rng.poisson(rate * self.scale)
        day_index = np.repeat(np.arange(len(self.days)), counts)
        n = day_index.size
        if n == 0:
            return
        slugs = list(categories)
        weights = np.array([categories[s] for s in slugs])
        chosen = self.rng.choice(len(slugs), n, p=weights / weights.sum())
        lat0, lon0 = (place.lat, place.lon) if place else centre
        lats, lons = _scatter(self.rng, lat0, lon0, n, scatter_m)
        inside = self.boundary.contains_many(lats, lons)
        lats, lons = np.where(inside, lats, lat0), np.where(inside, lons, lon0)
        at_place = self.rng.random(n) < 0.35 if place else np.zeros(n, bool)
        with_place = self.rng.random(n) < 0.8 if place else np.zeros(n, bool)
        for i in range(n):
            name = place.name if place is not None and (with_place[i] or at_place[i]) else None
            if at_place[i]:
                self.rows.append((int(day_index[i]), slugs[chosen[i]], place.lat, place.lon, name, False))
            else:
                self.rows.append(
                    (int(day_index[i]), slugs[chosen[i]], float(lats[i]), float(lons[i]), name, True)
                )

    def incidents(self, categories, places, districts, orgs, describe) -> list[dict]:
        """The incidents as field values for do_bulk_create_incidents (cells and districts computed here,
        vectorised, for thousands of rows)."""
        rng = self.rng
        n = len(self.rows)
        lats = np.array([r[2] for r in self.rows])
        lons = np.array([r[3] for r in self.rows])
        cells = {res: cells_for_points(lats, lons, res) for res in (7, 8, 9)}
        district_of = np.full(n, -1)
        for j, district in enumerate(districts):
            if district.geometry:
                mask = (district_of < 0) & boundary_of(district.geometry, district.name).contains_many(
                    lats, lons
                )
                district_of[mask] = j
        hours = rng.choice(24, n, p=HOURS)
        minutes = rng.integers(0, 60, n)
        window_draw = rng.random(n)
        window_hours = rng.integers(2, 11, n)
        org_draw = rng.random(n)
        text_draw = rng.integers(0, 1000, n)
        result = []
        for i, (day_i, slug, lat, lon, place_name, precise) in enumerate(self.rows):
            start = dt.datetime.combine(
                self.days[day_i], dt.time(int(hours[i]), int(minutes[i])), tzinfo=STOCKHOLM
            )
            end = (
                start + dt.timedelta(hours=int(window_hours[i]))
                if window_draw[i] < WINDOW_SHARE.get(slug, 0.1)
                else None
            )
            place = places.get(place_name) if place_name else None
            result.append(
                {
                    "category": categories[slug],
                    "occurred_from": start,
                    "occurred_to": end,
                    "place": place,
                    "district": districts[district_of[i]] if district_of[i] >= 0 else None,
                    "lat": round(lat, 6),
                    "lon": round(lon, 6),
                    "location_precision": Incident.Precision.POINT if precise else Incident.Precision.PLACE,
                    "h3_r7": int(cells[7][i]),
                    "h3_r8": int(cells[8][i]),
                    "h3_r9": int(cells[9][i]),
                    "source_organisation": _pick_org(REPORTERS[slug], org_draw[i], orgs),
                    "description": describe(slug, place_name, int(text_draw[i])),
                    "origin": Incident.Origin.DEMO,
                }
            )
        return result


def _pick_org(weights: dict[str, float], draw: float, orgs: dict[str, Organisation]) -> Organisation:
    total = sum(weights.values())
    acc = 0.0
    for key, w in weights.items():
        acc += w / total
        if draw < acc:
            return orgs[key]
    return orgs[next(iter(weights))]


def _organisations(municipality: Municipality) -> dict[str, Organisation]:
    orgs = {
        key: Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for key, (name, kind) in ORGS.items()
    }
    orgs["municipality"] = Organisation.objects.get_or_create(
        name=municipality.full_name, defaults={"kind": Organisation.Kind.MUNICIPALITY}
    )[0]
    orgs["housing"] = Organisation.objects.get_or_create(
        name=HOUSING.get(municipality.code, "Bostadsbolaget"), defaults={"kind": Organisation.Kind.HOUSING}
    )[0]
    return orgs


def meeting_dates(today: dt.date, count: int = 10) -> list[dt.date]:
    """Every other Tuesday, the latest on or before today; oldest first."""
    last = today - dt.timedelta(days=(today.weekday() - 1) % 7)
    return [last - dt.timedelta(weeks=2 * i) for i in reversed(range(count))]


@cache
def texts() -> dict:
    return json.loads(TEXTS.read_text(encoding="utf-8"))


def describe(slug: str, place_name: str | None, draw: int) -> str:
    options = texts()["description_templates"][slug]
    return options[draw % len(options)].format(at=f" vid {place_name}" if place_name else "")


def ensure_categories(acting_user) -> dict[str, Category]:
    """The seed taxonomy (a flushed test database has lost the migration's rows), through do_save_category."""
    existing = {c.slug: c for c in Category.objects.all()}
    for order, slug, name, description, police_types in CATEGORIES:
        if slug not in existing:
            category = Category(
                slug=slug, name=name, description=description, police_types=police_types, order=order
            )
            existing[slug] = do_save_category(category, acting_user=acting_user)[0]
    return existing


def _cameras(municipality: Municipality, places: dict[str, Place], acting_user) -> None:
    data = texts()
    for place_name, area in data["cameras"]:
        place = places[place_name]
        name = f"Trygghetskamera {place_name}"
        camera = CameraSite.objects.filter(municipality=municipality, name=name).first() or CameraSite(
            municipality=municipality, name=name
        )
        camera.place, camera.area_description, camera.lat, camera.lon = place, area, place.lat, place.lon
        camera.purpose, camera.notes = data["camera_purpose"], data["camera_notes"]
        camera.permit_status, camera.imy_reference, camera.imy_decision_date = "supervision", "", None
        do_save_camera(camera, acting_user=acting_user)


def _meetings(municipality, dates, today, places, categories, orgs, units, acting_user) -> int:
    """Meetings every other week (LST) and monthly (myndighetsgemensamt), with focus areas and actions
    (those in a focus area linked to the plan's area-based activity when the plan is loaded)."""
    data = texts()
    meetings = []
    for day in dates:
        meeting, _ = do_save_meeting(
            Meeting(
                municipality=municipality, date=day, kind=Meeting.Kind.LST_BIWEEKLY, notes=data["lst_notes"]
            ),
            organisations=[orgs[k] for k in data["lst_organisations"]],
            units=list(units.values()),
            acting_user=acting_user,
        )
        meetings.append(meeting)
    for months_back in (1, 2, 3):
        first = (today.replace(day=1) - dt.timedelta(days=28 * months_back)).replace(day=1)
        thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
        do_save_meeting(
            Meeting(
                municipality=municipality,
                date=thursday,
                kind=Meeting.Kind.AGENCY_MONTHLY,
                notes=data["agency_notes"],
            ),
            organisations=[orgs["police"], orgs["municipality"]],
            units=[units["Säkerhetsenheten"]],
            acting_user=acting_user,
        )
    focus_areas = [
        do_save_focus_area(
            FocusArea(
                municipality=municipality,
                meeting=meetings[m],
                place=places[p],
                category=categories[c],
                problem=problem,
                start=meetings[m].date,
                weeks=weeks,
            ),
            acting_user=acting_user,
        )[0]
        for m, p, c, problem, weeks in data["focus_areas"]
    ]
    area_activity = (
        tenancy.scope(Activity.objects.all(), [municipality.pk])
        .filter(title__startswith="Områdesbaserat arbete")
        .first()
    )
    for ref, kind, title, org, unit, start, due, status in data["actions"]:
        focus_area = focus_areas[ref] if isinstance(ref, int) else None
        meeting = focus_area.meeting if focus_area else meetings[ref[0]]
        do_save_action(
            Action(
                municipality=municipality,
                focus_area=focus_area,
                meeting=meeting,
                kind=kind,
                title=title,
                status=status,
                responsible_organisation=orgs[org],
                responsible_unit=units.get(unit) if unit else None,
                start_date=meeting.date + dt.timedelta(days=start) if start is not None else None,
                due_date=meeting.date + dt.timedelta(days=due) if due is not None else None,
                plan_activity=area_activity if focus_area is not None else None,
            ),
            acting_user=acting_user,
        )
    return len(meetings) + 3


@transaction.atomic
def load(
    municipality: Municipality,
    *,
    acting_user,
    seed: int | None = None,
    today: dt.date | None = None,
    scale: float = 1.4,
) -> str:
    """Load (or reload) the demo lägesbild of Kungälv (full) or Ale (incidents only); other municipalities
    get nothing. Idempotent: demo incidents are replaced; meetings are created only when the municipality
    has none; cameras are updated by name. Returns a short Swedish summary."""
    if municipality.code not in ("1482", "1440"):
        return "ingen demolägesbild för denna kommun"
    full = municipality.code == "1482"
    today = today or timezone.localdate()
    places = {p.name: p for p in Place.objects.for_municipality(municipality)}
    districts = list(District.objects.filter(municipality=municipality))
    categories = ensure_categories(acting_user)
    orgs = _organisations(municipality)
    units = {
        name: demo_unit(municipality, name, acting_user=acting_user)
        for name in (UNITS if full else ["Säkerhetsenheten"])
    }
    if full:
        _cameras(municipality, places, acting_user)

    dates = meeting_dates(today)
    rng = np.random.default_rng(seed if seed is not None else int(municipality.code))
    builder = _Builder(rng, today, municipality, scale)
    if full:
        for place_name, meeting_index, factor in texts()["effects"]:
            builder.reduce_after(place_name, dates[meeting_index] + dt.timedelta(days=3), factor)
    for source in SOURCES if full else ALE_SOURCES:
        season = _season(source.season, builder.days) * source.per_week / 7
        if source.place is None:
            for lat, lon, share in BACKGROUND_CENTRES:
                builder.add(None, season * share, source.categories, source.scatter_m, centre=(lat, lon))
        elif source.place in places:
            rate = season * builder.multipliers.get(source.place, 1.0)
            builder.add(places[source.place], rate, source.categories, source.scatter_m)
    if full:
        fireworks = _fireworks(builder.days) / len(FIREWORK_PLACES)
        for name in FIREWORK_PLACES:
            if name in places:
                builder.add(places[name], fireworks, {"fyrverkerier": 1.0}, 200.0)

    do_bulk_delete_incidents(municipality, origin=Incident.Origin.DEMO, acting_user=acting_user)
    rows = builder.incidents(categories, places, districts, orgs, describe)
    incidents, _ = do_bulk_create_incidents(municipality, rows, acting_user=acting_user, source="demodata")

    created_meetings = 0
    if full and not Meeting.objects.filter(municipality=municipality).exists():
        created_meetings = _meetings(municipality, dates, today, places, categories, orgs, units, acting_user)
    return (
        f"{len(incidents)} händelser, {created_meetings} nya möten, "
        f"{FocusArea.objects.filter(municipality=municipality).count()} fokusområden, "
        f"{Action.objects.filter(municipality=municipality).count()} åtgärder, "
        f"{CameraSite.objects.filter(municipality=municipality).count()} kameror"
    )
