"""Read side of the lägesbild: the incident filter, counts per H3 cell, hotspot runs and map layers.

Counts per cell are one SQL GROUP BY on the indexed h3 column; Gi* runs on the result (trygg.situation.
hotspots, no Django) over the municipality's cells as study area. Hotspot results are cached per
(period, resolution, filter) with the data version (a counter per municipality that database triggers bump
on every incident write) in the key, so a write makes old results unreachable in every process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

import h3.api.basic_int as h3_int
import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone

from trygg.indicators.secondary_suppression import Relation, protect
from trygg.lib.geo import (
    H3_RESOLUTIONS,
    aggregate_to_parents,
    cell_to_h3,
)
from trygg.places.boundary import municipality_cells
from trygg.places.geojson import boundary_feature, place_features, point
from trygg.places.models import Municipality

from . import hotspots, temporal, wording
from .hotspot_inference import SCALES, choose_scale
from .models import INCIDENT_MAX_WINDOW, MAPPABLE_PRECISIONS, CameraSite, Incident, IncidentDataVersion

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEFAULT_DAYS = 90
DEFAULT_RESOLUTION = 8


@dataclass(frozen=True)
class IncidentFilter:
    """Municipalities (ids), period [start, end] in whole days (local time), optional categories and source
    organisations. Without municipalities the filter matches nothing: every read is scoped."""

    start: dt.date
    end: dt.date
    categories: tuple[int, ...] = ()
    sources: tuple[int, ...] = ()
    resolution: int | None = None  # None: chosen from the data (hotspot_analysis)
    municipalities: tuple[int, ...] = ()
    # (west, south, east, north) in degrees: the map's view, which the table follows. Only incidents with
    # a location inside it match.
    bbox: tuple[float, float, float, float] | None = None

    @classmethod
    def default(cls, today: dt.date | None = None, municipalities: tuple[int, ...] = ()) -> IncidentFilter:
        today = today or timezone.localdate()
        return cls(
            start=today - dt.timedelta(days=DEFAULT_DAYS - 1),
            end=today,
            municipalities=tuple(sorted(municipalities)),
        )

    def within(self, municipalities) -> IncidentFilter:
        """The same filter over these municipalities (objects or ids)."""
        ids = tuple(sorted(getattr(m, "pk", m) for m in municipalities))
        return replace(self, municipalities=ids)

    @property
    def start_dt(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), tzinfo=STOCKHOLM)

    @property
    def end_dt(self) -> dt.datetime:
        """Exclusive end: midnight after the last day."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=STOCKHOLM)

    def as_key(self) -> dict:
        return {
            "categories": sorted(self.categories),
            "sources": sorted(self.sources),
            "municipalities": sorted(self.municipalities),
            **({"bbox": list(self.bbox)} if self.bbox else {}),
        }

    def cache_token(self) -> str:
        """A short stable text naming the whole filter (period, resolution and all of as_key)."""
        raw = json.dumps([str(self.start), str(self.end), self.resolution, self.as_key()], sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:24]

    def incidents(
        self, *, after: dt.datetime | None = None, before: dt.datetime | None = None
    ) -> QuerySet[Incident]:
        """The incidents whose time window overlaps the period. ``after``/``before``: inclusive bounds on
        ``occurred_from`` that narrow the index range further (the table's keyset cursor)."""
        # The overlap test alone bounds occurred_from only from above, so an index range scan would start
        # at the oldest incident. No window is longer than INCIDENT_MAX_WINDOW (actions refuse longer
        # ones), so an incident overlapping the period starts at most that long before it: the extra lower
        # bound changes no result and lets the (municipality, occurred_from) index read only the period.
        # Each side gets ONE bound (the tighter one): two bounds on one side make PostgreSQL multiply their
        # selectivities, underestimate the rows and sort a whole period instead of reading the index in order.
        lower = self.start_dt - INCIDENT_MAX_WINDOW
        low = (
            Q(occurred_from__gte=after)
            if after is not None and after > lower
            else Q(occurred_from__gte=lower)
        )
        high = (
            Q(occurred_from__lte=before)
            if before is not None and before < self.end_dt
            else Q(occurred_from__lt=self.end_dt)
        )
        start = self.start_dt
        qs = Incident.objects.filter(municipality_id__in=self.municipalities).filter(
            low & high & (Q(occurred_to__gte=start) | Q(occurred_to__isnull=True, occurred_from__gte=start))
        )
        if self.categories:
            qs = qs.filter(category_id__in=self.categories)
        if self.sources:
            qs = qs.filter(source_organisation_id__in=self.sources)
        if self.bbox:
            west, south, east, north = self.bbox
            qs = qs.mappable().filter(lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east)
        return qs


def data_version(municipalities=None) -> tuple:
    """Changes whenever an incident (of these municipalities, objects or ids; default all) is added, changed
    or deleted: the counters that database triggers keep (models.IncidentDataVersion), read in one
    primary-key query whatever the number of incidents. The change time is part of it, so a counter that
    starts again (a test database flushed) never repeats an old version."""
    qs = IncidentDataVersion.objects.order_by("municipality_id")
    if municipalities is not None:
        qs = qs.filter(municipality_id__in=sorted(getattr(m, "pk", m) for m in municipalities))
    return tuple(
        (m, version, changed.isoformat() if changed else None)
        for m, version, changed in qs.values_list("municipality_id", "version", "changed_at")
    )


def counts_per_cell(incidents: QuerySet[Incident], resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """(cells, counts) of mappable incidents: one GROUP BY on the h3 column."""
    if resolution not in H3_RESOLUTIONS:
        raise ValueError(f"resolution must be one of {H3_RESOLUTIONS}")
    column = f"h3_r{resolution}"
    rows = (
        incidents.mappable().order_by().values_list(column).annotate(n=Count("id")).values_list(column, "n")
    )
    pairs = sorted(rows)
    cells = np.fromiter((c for c, _ in pairs), dtype=np.int64, count=len(pairs))
    counts = np.fromiter((n for _, n in pairs), dtype=np.int64, count=len(pairs))
    return cells, counts


def _as_list(municipalities) -> list[Municipality]:
    return [municipalities] if isinstance(municipalities, Municipality) else list(municipalities)


def study_area(municipalities: list[Municipality], resolution: int) -> np.ndarray | None:
    """Every H3 cell overlapping the municipalities with a loaded boundary (None when none has one: then
    the analysis uses the cells with incidents only)."""
    parts = [municipality_cells(m, resolution) for m in municipalities if m.geometry]
    return np.unique(np.concatenate(parts)) if parts else None


def hotspot_analysis(filt: IncidentFilter, municipalities, version: tuple | None = None):
    """(Gi* result, chosen scale) over the municipalities' cells (one, or the union of a user's) for the
    filter, from the cache when the data has not changed. The filter is scoped to the same municipalities.
    The resolution (unless the filter fixes one) and the neighbourhood size k follow a fixed rule
    (hotspot_inference.choose_scale: the finest scale with at least 5 expected incidents per neighbourhood),
    never a search for the most hot spots."""
    municipalities = _as_list(municipalities)
    filt = filt.within(municipalities)
    version = version if version is not None else data_version(municipalities)
    key = hotspots.cache_key((filt.start, filt.end), filt.resolution or 0, filt.as_key(), version=version)

    def compute():
        # One GROUP BY at the finest resolution; coarser counts are sums over parent cells.
        fine_cells, fine_counts = counts_per_cell(filt.incidents(), max(H3_RESOLUTIONS))
        n = int(fine_counts.sum())
        resolutions = (filt.resolution,) if filt.resolution else H3_RESOLUTIONS
        areas = {r: study_area(municipalities, r) for r in resolutions}
        cells_in_area = {
            r: len(area)
            if area is not None
            else max(len(aggregate_to_parents(fine_cells, fine_counts, r)[0]), 1)
            for r, area in areas.items()
        }
        scales = tuple(s for s in SCALES if s[0] in resolutions)
        scale = choose_scale(n, cells_in_area, scales=scales)
        cells, counts = aggregate_to_parents(fine_cells, fine_counts, scale.resolution)
        result = hotspots.gi_star(cells, counts, k=scale.k, study_area=areas[scale.resolution])
        return result, scale

    return hotspots.hotspot_cache.get_or_compute(key, compute)


def hotspot_result(filt: IncidentFilter, municipalities, version: tuple | None = None):
    """The Gi* result of :func:`hotspot_analysis`."""
    return hotspot_analysis(filt, municipalities, version)[0]


def suppress_below() -> int:
    """Counts below this are not shown to roles that may not see single incidents (small-count rule)."""
    return int(getattr(settings, "TRYGG_SUPPRESS_BELOW", 5))


RING_SCALE = 100_000  # ring coordinates in units of 1e-5 degrees (about a metre)


def _ring(cell: int) -> list[int]:
    """The cell's hexagon, compact: the first corner as [lat, lon] in units of 1e-5 degrees, then each
    further corner as its difference from the one before. Neighbouring hexagons share the same few small
    differences, which gzip compresses several times better than decimals; map.js's ``decodeRing`` sums
    them back (a running sum from zero)."""
    corners = [round(v * RING_SCALE) for latlon in h3_int.cell_to_boundary(cell) for v in latlon]
    return corners[:2] + [corners[i] - corners[i - 2] for i in range(2, len(corners))]


def hotspot_cells(result, *, suppress: int = 0, namer: wording.CellNamer | None = None) -> dict:
    """Significant cells (hot or cold), compact: one list per property (h3 id, ring, class, count, name)
    and each class's label once, instead of a GeoJSON feature per cell. Cells without significance are not
    sent: the map shows the counts per cell of the current view instead. With ``suppress`` a count below
    it is sent as null."""
    keep = np.flatnonzero(result.significant())
    cells = [int(c) for c in result.cells[keep]]
    classes = [str(c) for c in result.classes[keep]]
    counts = [int(n) for n in result.counts[keep]]
    return {
        "h3": [cell_to_h3(c) for c in cells],
        "ring": [_ring(c) for c in cells],
        "class": classes,
        "count": [None if n < suppress else n for n in counts],
        "name": namer.names(result.cells[keep]) if namer else [""] * len(cells),
        "labels": {cls: wording.plain_label(cls) for cls in sorted(set(classes))},
    }


def incident_features(incidents) -> list[dict]:
    """Mappable incidents as points. Expects category, place and source_organisation select_related."""
    return [
        {
            "type": "Feature",
            "geometry": point(i.lat, i.lon),
            "properties": {
                "kind": "incident",
                "id": i.pk,
                "municipality": i.municipality.name,
                "category": i.category.name,
                "when": timezone.localtime(i.occurred_from).strftime("%Y-%m-%d %H:%M"),
                "place": i.place.name if i.place_id else "",
                "precision": i.location_precision,
                "source": i.source_organisation.name if i.source_organisation_id else "",
                "description": i.description[:200],
            },
        }
        for i in incidents
    ]


def camera_features(cameras) -> list[dict]:
    return [
        {
            "type": "Feature",
            "geometry": point(c.lat, c.lon),
            "properties": {
                "kind": "camera",
                "id": c.pk,
                "name": c.name,
                "status": c.get_permit_status_display(),
                "purpose": c.purpose[:200],
            },
        }
        for c in cameras
    ]


@dataclass
class CellRow:
    cell: str
    count: int
    z: float
    label: str
    css_class: str
    places: list[str] = field(default_factory=list)
    name: str = ""  # the places inside, the nearest named place or the district (wording.CellNamer)


def hotspot_rows(result, places, limit: int = 25, districts=()) -> list[CellRow]:
    """Significant hot spots, strongest first (the list alternative), each named in words: the named places
    inside it, else the nearest named place or its district (never an H3 id)."""
    if isinstance(places, QuerySet):  # the names need the places' positions and their districts
        places = list(
            places.select_related("district").only(
                "name",
                "lat",
                "lon",
                "h3_r7",
                "h3_r8",
                "h3_r9",
                "district",
                "district__name",
                "district__geometry",
            )
        )
        districts = districts or _districts_of(places)
    namer = wording.CellNamer(places, districts)
    rows = []
    for row in result.rows(only_significant=True)[:limit]:
        cell = int(row["cell"])
        rows.append(
            CellRow(
                row["h3"],
                int(row["count"]),
                round(row["z"], 2),
                wording.plain_label(row["class"]),
                row["class"],
                namer.places_in(cell),
                namer.name(cell),
            )
        )
    return rows


def weekday_hour_table(incidents: QuerySet[Incident], bin_hours: int = 3) -> list[dict]:
    """Aoristic weekday × time-of-day table (rows Monday…Sunday, columns of bin_hours hours). An instant (no
    end) puts 1 in its local hour, so on PostgreSQL instants are counted per local weekday and hour in SQL
    (one GROUP BY) and only the windows are read and spread in Python: 2.5× faster at 10× the demo. SQLite
    converts time zones in a Python function per row, slower than reading the rows, so it reads them all."""
    table = np.zeros((7, 24))
    if connection.vendor == "postgresql":
        instants = (
            incidents.filter(occurred_to__isnull=True)
            .order_by()
            .annotate(
                weekday=ExtractIsoWeekDay("occurred_from", tzinfo=STOCKHOLM),
                hour=ExtractHour("occurred_from", tzinfo=STOCKHOLM),
            )
            .values_list("weekday", "hour")
            .annotate(n=Count("id"))
        )
        for weekday, hour, n in instants:
            table[weekday - 1, hour] += n
        incidents = incidents.filter(occurred_to__isnull=False)
    pairs = list(incidents.order_by().values_list("occurred_from", "occurred_to"))
    if pairs:
        starts = temporal.local_times([p[0] for p in pairs])
        ends = temporal.local_times([p[1] for p in pairs])
        table += temporal.aoristic_weekday_hour(starts, ends)
    binned = table.reshape(7, 24 // bin_hours, bin_hours).sum(axis=2)
    days = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
    return [{"day": days[d], "values": [round(float(v), 1) for v in binned[d]]} for d in range(7)]


def map_payload(
    filt: IncidentFilter, municipalities, places, *, restricted: bool = False, version: tuple | None = None
) -> dict:
    """The layers of the map that do not depend on the view (boundary, significant hotspot cells, places,
    cameras) and the filter's totals, for one municipality or the union of several, in a constant number of
    queries. Incidents come per view from :func:`map_view`. ``restricted``: the user may not see single
    incidents, so small counts are suppressed."""
    municipalities = _as_list(municipalities)
    filt = filt.within(municipalities)
    version = version if version is not None else data_version(municipalities)
    incidents_qs = filt.incidents()
    totals = incidents_qs.order_by().aggregate(
        total=Count("id"),
        on_map=Count("id", filter=Q(location_precision__in=MAPPABLE_PRECISIONS, h3_r9__isnull=False)),
    )
    result, scale = hotspot_analysis(filt, municipalities, version)
    cameras = CameraSite.objects.filter(municipality__in=municipalities).exclude(
        permit_status=CameraSite.PermitStatus.REMOVED
    )
    k = suppress_below() if restricted else 0
    counts = {
        "total": totals["total"],
        "on_map": totals["on_map"],
        "not_on_map": totals["total"] - totals["on_map"],
    }
    if k:  # the small-count rule for the totals too: total = on_map + not_on_map, so hide a second one
        # (a zero discloses nobody and stays; protect would hide it and with it the other part)
        shown = protect(
            {key: n or None for key, n in counts.items()}, [Relation("total", ("on_map", "not_on_map"))], k
        )
        counts = {key: None if n and shown.hidden(key) else n for key, n in counts.items()}
    return {
        "meta": {
            "start": filt.start.isoformat(),
            "end": filt.end.isoformat(),
            "resolution": scale.resolution,
            "scale": wording.area_text(scale),
            **counts,
            "hotspot_classes": result.class_counts(),
            "municipalities": [m.name for m in municipalities],
            "restricted": restricted,
            "suppress_below": k or None,
        },
        "layers": {
            "boundary": {
                "type": "FeatureCollection",
                "features": [boundary_feature(m) for m in municipalities if m.geometry],
            },
            "hotspots": hotspot_cells(
                result, suppress=k, namer=wording.CellNamer(places, _districts_of(places))
            ),
            "places": {"type": "FeatureCollection", "features": place_features(places)},
            "cameras": {"type": "FeatureCollection", "features": camera_features(cameras)},
        },
    }


def _districts_of(places) -> list:
    """The districts (with a boundary) of the places, read with them (select_related): no extra query."""
    found = {}
    for place in places:
        district = place.district if place.district_id else None
        if district is not None and district.geometry:
            found[district.pk] = district
    return list(found.values())


# --- Incidents by map view ------------------------------------------------------------------------------
# The map asks for its bounding box and zoom. Far out it gets counts per H3 cell at a resolution that fits
# the zoom (one GROUP BY on the indexed cell column over the whole filter, cached per data version, so
# panning costs a cache read); close in, or when the view holds few incidents, single incidents as compact
# rows. Roles that may not see single incidents always get cells, and cells below the small-count threshold
# are left out. A cell is in the view when its centre is, so its count never depends on where the view's
# edge cuts it (no differencing two views to learn a hidden count).

POINT_ZOOM = 15  # from this zoom on: single incidents
FEW_POINTS = 200  # fewer incidents than this in the view: single incidents at any zoom
MAX_VIEW_POINTS = 2000  # more than this: cells at the finest resolution instead
DEFAULT_ZOOM = 10
MAX_ZOOM = 20


def resolution_for_zoom(zoom: int) -> int:
    """H3 resolution whose cells are a few dozen screen pixels across at this web-map zoom."""
    if zoom <= 11:
        return 7
    if zoom <= 13:
        return 8
    return 9


@dataclass(frozen=True)
class MapView:
    bbox: tuple[float, float, float, float] | None  # west, south, east, north; None: everything
    zoom: int = DEFAULT_ZOOM

    @classmethod
    def parse(cls, bbox: str | None, zoom: str | None) -> MapView:
        """From the GET parameters ``bbox=west,south,east,north`` and ``zoom``; ValueError (Swedish) when
        malformed. The box is widened to a grid of about a quarter of the visible width at that zoom, so
        small pans ask for the same box (cache hits) and the result still covers the screen."""
        z = DEFAULT_ZOOM
        if zoom not in (None, ""):
            try:
                z = int(zoom)
            except ValueError:
                raise ValueError("Zoomnivån måste vara ett heltal.") from None
            if not 0 <= z <= MAX_ZOOM:
                raise ValueError(f"Zoomnivån måste vara mellan 0 och {MAX_ZOOM}.")
        if bbox in (None, ""):
            return cls(None, z)
        box = parse_bbox(bbox)
        return cls(snap_bbox(box, z), z)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise ValueError("Kartutsnittet (bbox) ska vara fyra tal: väst,syd,öst,nord.") from None
    values = (west, south, east, north)
    if not all(np.isfinite(values)) or not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError("Kartutsnittet (bbox) ligger utanför jorden eller har väst ≥ öst eller syd ≥ nord.")
    return values


def snap_bbox(box, zoom: int) -> tuple[float, float, float, float]:
    step = 360 / 2 ** (zoom + 2)
    west, south, east, north = box
    snapped = (
        np.floor(west / step) * step,
        np.floor(south / step) * step,
        np.ceil(east / step) * step,
        np.ceil(north / step) * step,
    )
    w, s, e, n = (round(float(v), 6) for v in snapped)
    return max(w, -180.0), max(s, -90.0), min(e, 180.0), min(n, 90.0)


def cell_counts_cached(filt: IncidentFilter, resolution: int, version: tuple) -> dict:
    """{cells, counts, lats, lons} of the filter (without its bbox) at the resolution, from the Django cache
    when the data has not changed (key: filter, resolution, data version)."""
    filt = replace(filt, bbox=None)
    key = f"situation:cells:{filt.cache_token()}:{resolution}:{hashlib.sha256(repr(version).encode()).hexdigest()[:16]}"
    found = cache.get(key)
    if found is not None:
        return found
    cells, counts = counts_per_cell(filt.incidents(), resolution)
    centres = np.array([h3_int.cell_to_latlng(int(c)) for c in cells]).reshape(-1, 2)
    found = {"cells": cells, "counts": counts, "lats": centres[:, 0], "lons": centres[:, 1]}
    cache.set(key, found, timeout=3600)
    return found


def _in_box(lats: np.ndarray, lons: np.ndarray, bbox) -> np.ndarray:
    if bbox is None:
        return np.ones(len(lats), dtype=bool)
    west, south, east, north = bbox
    return (lats >= south) & (lats <= north) & (lons >= west) & (lons <= east)


def map_view(
    filt: IncidentFilter, municipalities, view: MapView, *, restricted: bool, version: tuple | None = None
) -> dict:
    """Incidents of the filter in the view: ``{"mode": "cells", "cells": {h3, n, ring}}`` or
    ``{"mode": "points", "points": {fields, rows}, "lookup": …}`` (columns, not repeated property names).
    Queries: one GROUP BY (none when cached), plus one for the points when they are sent."""
    municipalities = _as_list(municipalities)
    filt = filt.within(municipalities)
    version = version if version is not None else data_version(municipalities)
    k = suppress_below() if restricted else 0
    fine = cell_counts_cached(filt, 9, version)
    in_view_fine = int(fine["counts"][_in_box(fine["lats"], fine["lons"], view.bbox)].sum())
    payload: dict = {
        "zoom": view.zoom,
        "bbox": list(view.bbox) if view.bbox else None,
        "suppress_below": k or None,
    }
    wants_points = not restricted and (view.zoom >= POINT_ZOOM or in_view_fine < FEW_POINTS)
    if wants_points and in_view_fine <= MAX_VIEW_POINTS:
        points = _points(replace(filt, bbox=view.bbox), MAX_VIEW_POINTS)
        if points is not None:
            payload.update(mode="points", resolution=None, in_view=len(points["points"]["rows"]), **points)
            return payload
    resolution = resolution_for_zoom(view.zoom) if not wants_points else 9
    data = fine if resolution == 9 else cell_counts_cached(filt, resolution, version)
    inside = np.flatnonzero(_in_box(data["lats"], data["lons"], view.bbox))
    visible = ~suppressed_cells(data["counts"], k) if k else np.ones(len(data["counts"]), dtype=bool)
    shown = [i for i in inside if visible[i]]
    payload.update(
        mode="cells",
        resolution=resolution,
        in_view=int(sum(int(data["counts"][i]) for i in shown)),
        hidden_cells=len(inside) - len(shown),
        cells={
            "h3": [cell_to_h3(int(data["cells"][i])) for i in shown],
            "n": [int(data["counts"][i]) for i in shown],
            "ring": [_ring(int(data["cells"][i])) for i in shown],
        },
    )
    return payload


def suppressed_cells(counts: np.ndarray, limit: int) -> np.ndarray:
    """Which cells of the whole filter (at one resolution) to hide from roles that may not see single
    incidents. Primary: every count below ``limit``. Complementary, as on the table page: the map's totals
    (``on_map``, shown when not small) equal the sum of all cells, so while the hidden counts could be
    worked back from it (one hidden cell, or hidden cells whose only possible values are known: a hidden
    cell holds 1 … limit − 1 incidents, a complementary one at least ``limit``), the smallest shown cell is
    hidden too. Decided over the whole filter, never per view, so panning cannot undo it."""
    primary = counts < limit
    hidden = primary.copy()
    while hidden.any() and not hidden.all() and _disclosed(counts, primary, hidden, limit):
        shown = np.flatnonzero(~hidden)
        hidden[shown[np.argmin(counts[shown])]] = True
    return hidden


def _disclosed(counts: np.ndarray, primary: np.ndarray, hidden: np.ndarray, limit: int) -> bool:
    """True when some hidden count has one possible value given their sum (the total minus the shown
    cells): each lies in [1, limit − 1] (primary) or [limit, ∞) (complementary)."""
    idx = np.flatnonzero(hidden)
    if len(idx) == 1:
        return True
    total = int(counts[idx].sum())
    low = np.where(primary[idx], 1, limit)
    high = np.where(primary[idx], limit - 1, np.inf)
    infinite = np.isinf(high)
    # the largest the other hidden cells can hold together (unbounded when another is complementary)
    others_high = np.where(
        (int(infinite.sum()) - infinite) > 0,
        np.inf,
        float(high[~infinite].sum()) - np.where(infinite, 0, high),
    )
    least = np.maximum(low, total - others_high)
    most = np.minimum(high, total - (low.sum() - low))
    return bool(np.any(least >= most))


POINT_FIELDS = ["id", "lat", "lon", "category", "when", "place", "source", "municipality"]


def _points(filt: IncidentFilter, limit: int) -> dict | None:
    """Single incidents in the filter's bbox as rows of POINT_FIELDS; names are indexes into ``lookup``
    lists (a name is sent once). None when there are more than ``limit``. One query."""
    rows = list(
        filt.incidents()
        .order_by("-occurred_from", "-pk")
        .values_list(
            "pk",
            "lat",
            "lon",
            "category__name",
            "occurred_from",
            "place__name",
            "source_organisation__name",
            "municipality__name",
        )[: limit + 1]
    )
    if len(rows) > limit:
        return None
    lookup: dict[str, dict[str, int]] = {"category": {}, "place": {}, "source": {}, "municipality": {}}

    def index(kind: str, name: str | None) -> int | None:
        if not name:
            return None
        return lookup[kind].setdefault(name, len(lookup[kind]))

    out = [
        [
            pk,
            round(lat, 5),
            round(lon, 5),
            index("category", category),
            timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
            index("place", place),
            index("source", source),
            index("municipality", municipality),
        ]
        for pk, lat, lon, category, when, place, source, municipality in rows
    ]
    return {
        "points": {"fields": POINT_FIELDS, "rows": out},
        "lookup": {kind: list(names) for kind, names in lookup.items()},
    }
