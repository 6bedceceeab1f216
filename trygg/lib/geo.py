"""Geo helpers: H3 cells as integers, SWEREF 99 TM <-> WGS84, municipality boundary checks.

H3 cell ids as database integers
    An H3 index is a 64-bit value whose top bit is reserved and always 0 (H3 spec, "H3Index
    representation"), and a cell's mode bits are 0001. Every valid cell id is therefore below 2**63
    and fits a signed 64-bit column (Django ``BigIntegerField``, SQLite INTEGER, PostgreSQL bigint) as
    it is: no offset or reinterpretation is needed, and ``GROUP BY`` on the column groups by cell.
    :func:`cells_for_point` returns plain Python ints; :func:`cell_to_h3` / :func:`h3_to_cell` convert to
    and from the usual hexadecimal string (for URLs, Leaflet, logs).

Coordinates are (lat, lon) in every signature of this module, as people say them; GeoJSON output is
(lon, lat) as the format requires.

No Django imports. Error messages are Swedish because they reach the person who entered the point.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import h3
import numpy as np
import shapely
from h3.api import basic_int as h3_int
from pyproj import Transformer
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

H3_RESOLUTIONS = (7, 8, 9)

_INT63 = 2**63


class GeoError(ValueError):
    """Bad geographic input; ``str(error)`` is a Swedish message fit for the user."""


class InvalidCoordinatesError(GeoError):
    pass


class OutsideBoundaryError(GeoError):
    def __init__(self, lat: float, lon: float, area_name: str) -> None:
        self.lat, self.lon, self.area_name = lat, lon, area_name
        super().__init__(f"Punkten ({format_latlon(lat, lon)}) ligger utanför {area_name}.")


def _sv_number(value: float, decimals: int = 5) -> str:
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_latlon(lat: float, lon: float) -> str:
    """``57.8707, 11.9806`` -> ``"57,8707, 11,9806"`` (Swedish decimal comma, at most 5 decimals ≈ 1 m)."""
    return f"{_sv_number(lat)}, {_sv_number(lon)}"


def validate_latlon(lat: float, lon: float) -> tuple[float, float]:
    """Return ``(lat, lon)`` as floats or raise :class:`InvalidCoordinatesError`."""
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise InvalidCoordinatesError(f"Koordinaterna ({lat!r}, {lon!r}) är inte tal.") from None
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise InvalidCoordinatesError("Koordinaterna saknas eller är inte ändliga tal.")
    if not (-90.0 <= lat_f <= 90.0 and -180.0 <= lon_f <= 180.0):
        raise InvalidCoordinatesError(
            f"Koordinaterna ({format_latlon(lat_f, lon_f)}) är inte en giltig latitud och longitud "
            "(latitud −90…90, longitud −180…180)."
        )
    return lat_f, lon_f


# --- H3 ------------------------------------------------------------------------------------------


def _check_cell(cell: int) -> int:
    cell = int(cell)
    if not 0 < cell < _INT63 or not h3_int.is_valid_cell(cell):
        raise GeoError(f"{cell} är inte en giltig H3-cell.")
    return cell


def cells_for_point(lat: float, lon: float, resolutions: Iterable[int] = H3_RESOLUTIONS) -> dict[int, int]:
    """``{resolution: cell id}`` for one point, ids as signed-64-bit-safe ints (see module doc)."""
    lat, lon = validate_latlon(lat, lon)
    return {res: h3_int.latlng_to_cell(lat, lon, res) for res in resolutions}


def cells_for_points(lats: Any, lons: Any, resolution: int) -> np.ndarray:
    """Cell ids (int64) for many points. h3 has no vectorised call; this is one C call per point
    (≈ 0.8 µs), so importers compute the cells once at write time and store them."""
    lat_arr = np.asarray(lats, dtype=np.float64)
    lon_arr = np.asarray(lons, dtype=np.float64)
    if lat_arr.shape != lon_arr.shape or lat_arr.ndim != 1:
        raise GeoError("Latitud- och longitudlistorna måste vara lika långa.")
    bad = ~(np.isfinite(lat_arr) & np.isfinite(lon_arr) & (np.abs(lat_arr) <= 90) & (np.abs(lon_arr) <= 180))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        validate_latlon(lat_arr[i], lon_arr[i])  # raises with the Swedish message
    to_cell = h3_int.latlng_to_cell
    return np.fromiter(
        (to_cell(a, b, resolution) for a, b in zip(lat_arr.tolist(), lon_arr.tolist(), strict=True)),
        dtype=np.int64,
        count=lat_arr.size,
    )


def cell_to_h3(cell: int) -> str:
    """Integer cell id -> H3 hex string (``617541098949574655`` -> ``"891f25b8d17ffff"``)."""
    return h3.int_to_str(_check_cell(cell))


def h3_to_cell(h3_str: str) -> int:
    """H3 hex string -> integer cell id (inverse of :func:`cell_to_h3`)."""
    try:
        value = h3.str_to_int(str(h3_str).strip().lower())
    except (ValueError, TypeError):
        raise GeoError(f"{h3_str!r} är inte en giltig H3-cell.") from None
    return _check_cell(value)


def is_valid_cell(cell: int) -> bool:
    try:
        _check_cell(cell)
    except (GeoError, TypeError, ValueError, OverflowError):
        return False
    return True


def cell_resolution(cell: int) -> int:
    return h3_int.get_resolution(_check_cell(cell))


def aggregate_to_parents(
    cells: np.ndarray, counts: np.ndarray, resolution: int
) -> tuple[np.ndarray, np.ndarray]:
    """Counts per finer cell summed into their parent cells at a coarser `resolution` (sorted by cell id)."""
    if len(cells) == 0:
        return cells.astype(np.int64), counts.astype(np.int64)
    parents = np.fromiter(
        (h3_int.cell_to_parent(_check_cell(int(c)), resolution) for c in cells),
        dtype=np.int64,
        count=len(cells),
    )
    unique, inverse = np.unique(parents, return_inverse=True)
    return unique, np.bincount(inverse, weights=counts, minlength=len(unique)).astype(np.int64)


def cell_boundary_geojson(cell: int) -> dict[str, Any]:
    """GeoJSON Polygon of the cell, ``[lon, lat]`` pairs, ring closed."""
    ring = [[lon, lat] for lat, lon in h3_int.cell_to_boundary(_check_cell(cell))]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def k_ring(cell: int, k: int) -> list[int]:
    """The cell and every cell within ``k`` grid steps of it (H3 ``grid_disk``)."""
    if k < 0:
        raise GeoError("k måste vara 0 eller större.")
    return h3_int.grid_disk(_check_cell(cell), k)


# --- SWEREF 99 TM <-> WGS84 ----------------------------------------------------------------------

# pyproj Transformers must not be shared between threads; keep one pair per thread.
_local = threading.local()


def _transformers() -> tuple[Transformer, Transformer]:
    pair = getattr(_local, "pair", None)
    if pair is None:
        # always_xy: (x, y) = (easting, northing) and (lon, lat) whatever the EPSG axis order says.
        to_wgs84 = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
        to_sweref = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
        pair = _local.pair = (to_wgs84, to_sweref)
    return pair


def sweref99tm_to_wgs84(n: float, e: float) -> tuple[float, float]:
    """SWEREF 99 TM northing/easting in metres (EPSG:3006) -> (lat, lon) in degrees (EPSG:4326)."""
    n, e = float(n), float(e)
    if not (math.isfinite(n) and math.isfinite(e)):
        raise InvalidCoordinatesError("SWEREF 99 TM-koordinaterna saknas eller är inte ändliga tal.")
    lon, lat = _transformers()[0].transform(e, n, errcheck=True)
    return lat, lon


def wgs84_to_sweref99tm(lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) in degrees -> SWEREF 99 TM (northing, easting) in metres."""
    lat, lon = validate_latlon(lat, lon)
    e, n = _transformers()[1].transform(lon, lat, errcheck=True)
    return n, e


# --- bounds and boundaries -----------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    def as_leaflet(self) -> list[list[float]]:
        """``[[south, west], [north, east]]`` as Leaflet's ``fitBounds`` takes it."""
        return [[self.south, self.west], [self.north, self.east]]

    def padded(self, fraction: float) -> Bounds:
        dlat = (self.north - self.south) * fraction
        dlon = (self.east - self.west) * fraction
        return Bounds(self.south - dlat, self.west - dlon, self.north + dlat, self.east + dlon)


class Boundary:
    """An area (e.g. the municipality) from a GeoJSON (Multi)Polygon in WGS84, ``[lon, lat]`` order.

    Points on the border count as inside (``covers``): a point a reporter put on the municipal border is
    the municipality's business.
    """

    def __init__(self, geometry: Mapping[str, Any] | BaseGeometry, name: str) -> None:
        geom = geometry if isinstance(geometry, BaseGeometry) else _shape(geometry)
        if not isinstance(geom, Polygon | MultiPolygon):
            raise GeoError(f"Gränsen för {name} måste vara en polygon eller multipolygon.")
        if not geom.is_valid:
            # make_valid may return a collection with stray lines; keep the polygonal part.
            polygons = shapely.get_parts(shapely.make_valid(geom))
            geom = shapely.union_all([p for p in polygons if isinstance(p, Polygon | MultiPolygon)])
        if geom.is_empty or not isinstance(geom, Polygon | MultiPolygon):
            raise GeoError(f"Gränsen för {name} är tom.")
        self.geometry = geom
        self.name = name
        shapely.prepare(self.geometry)

    @classmethod
    def from_geojson(cls, data: Mapping[str, Any], *, name: str, feature_id: str | None = None) -> Boundary:
        """From a geometry, a Feature, or a FeatureCollection plus ``feature_id`` (matched against the
        feature's ``id`` or ``properties.id``, e.g. kommunkod ``"1482"``)."""
        kind = data.get("type")
        if kind == "FeatureCollection":
            if feature_id is None:
                raise GeoError("Ange vilket område i samlingen som avses (feature_id).")
            for feature in data.get("features", []):
                props = feature.get("properties") or {}
                if str(feature.get("id", props.get("id"))) == str(feature_id):
                    return cls(feature["geometry"], name)
            raise GeoError(f"Området {feature_id} finns inte i filen.")
        if kind == "Feature":
            return cls(data["geometry"], name)
        return cls(data, name)

    @property
    def bounds(self) -> Bounds:
        west, south, east, north = self.geometry.bounds
        return Bounds(south, west, north, east)

    def contains(self, lat: float, lon: float) -> bool:
        lat, lon = validate_latlon(lat, lon)
        return bool(self.geometry.covers(shapely.Point(lon, lat)))

    def require_inside(self, lat: float, lon: float, name: str | None = None) -> tuple[float, float]:
        """Return the validated ``(lat, lon)``; raise :class:`OutsideBoundaryError` naming the area
        (``name`` as it reads after "utanför", e.g. "Kungälvs kommun"; default: the boundary's name)."""
        lat, lon = validate_latlon(lat, lon)
        if not self.geometry.covers(shapely.Point(lon, lat)):
            raise OutsideBoundaryError(lat, lon, name or self.name)
        return lat, lon

    def contains_many(self, lats: Any, lons: Any) -> np.ndarray:
        """Boolean mask, vectorised (shapely 2)."""
        points = shapely.points(np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64))
        return np.asarray(shapely.covers(self.geometry, points), dtype=bool)

    def cells(self, resolution: int) -> np.ndarray:
        """Sorted int64 ids of every H3 cell at ``resolution`` that overlaps the area.

        This is the natural study area for hotspot analysis: every incident accepted inside the
        boundary lies in one of these cells. Uses h3's ``contain="overlap"`` mode (marked experimental in
        h3-py, pinned in pyproject)."""
        shape_h3 = h3.geo_to_h3shape(shapely.geometry.mapping(self.geometry))
        cells = h3.h3shape_to_cells_experimental(shape_h3, resolution, contain="overlap")
        return np.sort(np.fromiter((h3.str_to_int(c) for c in cells), dtype=np.int64, count=len(cells)))

    def to_geojson(self) -> dict[str, Any]:
        return shapely.geometry.mapping(self.geometry)


def _shape(geometry: Mapping[str, Any]) -> BaseGeometry:
    try:
        return shape(geometry)
    except (KeyError, TypeError, ValueError, AttributeError, GEOSException) as exc:
        raise GeoError(f"Ogiltig GeoJSON-geometri: {exc}") from None
