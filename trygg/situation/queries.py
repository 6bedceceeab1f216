"""Read side of the lägesbild: the incident filter, counts per H3 cell, hotspot runs and map layers.

Counts per cell are one SQL GROUP BY on the indexed h3 column; Gi* runs on the result (trygg.situation.
hotspots, no Django) over the municipality's cells as study area. Hotspot results are cached per
(period, resolution, filter) with the data version (incident count and last change) in the key, so a
write anywhere makes old results unreachable in every process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

import numpy as np
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from trygg.lib.geo import (
    H3_RESOLUTIONS,
    aggregate_to_parents,
    cell_boundary_geojson,
    cell_resolution,
    cell_to_h3,
)
from trygg.places.boundary import municipality_cells
from trygg.places.geojson import boundary_feature, place_features, point
from trygg.places.models import Municipality

from . import hotspots, temporal
from .hotspot_inference import SCALES, choose_scale
from .models import CameraSite, Incident

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEFAULT_DAYS = 90
DEFAULT_RESOLUTION = 8
MAX_MAP_INCIDENTS = 5000


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
        }

    def incidents(self) -> QuerySet[Incident]:
        qs = Incident.objects.filter(municipality_id__in=self.municipalities).overlapping(
            self.start_dt, self.end_dt
        )
        if self.categories:
            qs = qs.filter(category_id__in=self.categories)
        if self.sources:
            qs = qs.filter(source_organisation_id__in=self.sources)
        return qs


def data_version() -> tuple:
    """Changes whenever an incident is added, changed or deleted (one aggregate query)."""
    row = Incident.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (row["n"], row["last"].isoformat() if row["last"] else None)


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
    version = version if version is not None else data_version()
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


def hotspot_features(result) -> list[dict]:
    """Cells that are significant or have incidents, as GeoJSON polygons with their Gi* class."""
    keep = np.flatnonzero(result.significant() | (result.counts > 0))
    return [
        {
            "type": "Feature",
            "geometry": cell_boundary_geojson(int(result.cells[i])),
            "properties": {
                "kind": "hotspot",
                "cell": cell_to_h3(int(result.cells[i])),
                "count": int(result.counts[i]),
                "z": round(float(result.z[i]), 2),
                "class": str(result.classes[i]),
                "label": hotspots.CLASS_LABELS_SV[str(result.classes[i])],
            },
        }
        for i in keep
    ]


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


def hotspot_rows(result, places, limit: int = 25) -> list[CellRow]:
    """Significant hot spots with the named places inside them, strongest first (the list alternative)."""
    res = cell_resolution(int(result.cells[0])) if len(result) else DEFAULT_RESOLUTION
    by_cell: dict[int, list[str]] = {}
    for place in places:
        by_cell.setdefault(place.cell(res), []).append(place.name)
    rows = []
    for row in result.rows(only_significant=True)[:limit]:
        rows.append(
            CellRow(
                row["h3"],
                int(row["count"]),
                round(row["z"], 2),
                hotspots.CLASS_LABELS_SV[row["class"]],
                row["class"],
                by_cell.get(row["cell"], []),
            )
        )
    return rows


def weekday_hour_table(incidents: QuerySet[Incident], bin_hours: int = 3) -> list[dict]:
    """Aoristic weekday × time-of-day table (rows Monday…Sunday, columns of bin_hours hours)."""
    pairs = list(incidents.order_by().values_list("occurred_from", "occurred_to"))
    table = np.zeros((7, 24))
    if pairs:
        starts = temporal.local_times([p[0] for p in pairs])
        ends = temporal.local_times([p[1] for p in pairs])
        table = temporal.aoristic_weekday_hour(starts, ends)
    binned = table.reshape(7, 24 // bin_hours, bin_hours).sum(axis=2)
    days = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
    return [{"day": days[d], "values": [round(float(v), 1) for v in binned[d]]} for d in range(7)]


def map_payload(filt: IncidentFilter, municipalities, places) -> dict:
    """Everything the map page draws for one municipality or the union of several (each incident labelled
    with its municipality), in one response with a constant number of queries."""
    municipalities = _as_list(municipalities)
    filt = filt.within(municipalities)
    incidents_qs = filt.incidents()
    mappable = list(incidents_qs.mappable().with_related()[: MAX_MAP_INCIDENTS + 1])
    truncated = len(mappable) > MAX_MAP_INCIDENTS
    total = incidents_qs.count()
    result, scale = hotspot_analysis(filt, municipalities)
    cameras = CameraSite.objects.filter(municipality__in=municipalities).exclude(
        permit_status=CameraSite.PermitStatus.REMOVED
    )
    return {
        "meta": {
            "start": filt.start.isoformat(),
            "end": filt.end.isoformat(),
            "resolution": scale.resolution,
            "scale": scale.reason,
            "total": total,
            "on_map": min(len(mappable), MAX_MAP_INCIDENTS),
            "not_on_map": total - len(mappable) if not truncated else None,
            "truncated": truncated,
            "hotspot_classes": result.class_counts(),
            "municipalities": [m.name for m in municipalities],
        },
        "layers": {
            "boundary": {
                "type": "FeatureCollection",
                "features": [boundary_feature(m) for m in municipalities if m.geometry],
            },
            "incidents": {
                "type": "FeatureCollection",
                "features": incident_features(mappable[:MAX_MAP_INCIDENTS]),
            },
            "hotspots": {"type": "FeatureCollection", "features": hotspot_features(result)},
            "places": {"type": "FeatureCollection", "features": place_features(places)},
            "cameras": {"type": "FeatureCollection", "features": camera_features(cameras)},
        },
    }
