"""Point checks against the municipality boundary and districts, cached per geometry.

The boundary file is simplified (~2 %), so a real place on the border (Bohus fästning on the river) can fall
a few hundred metres outside the polygon. Points are therefore checked against the boundary buffered by
TOLERANCE_M metres (buffered in SWEREF 99 TM, where units are metres). The unbuffered polygon is what the
map shows and what the hotspot study area is made of.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
from pyproj import Transformer
from shapely.geometry import shape
from shapely.ops import transform

from trygg.lib.geo import Boundary, OutsideBoundaryError, cells_for_point

from .models import District, Municipality, MunicipalityNotLoaded

TOLERANCE_M = 500.0

__all__ = [
    "TOLERANCE_M",
    "OutsideBoundaryError",
    "boundary_of",
    "cells_for_point",
    "district_for_point",
    "municipality_boundary",
    "municipality_cells",
]


@lru_cache(maxsize=32)
def _boundary(geometry_json: str, name: str, tolerance_m: float) -> Boundary:
    geometry = shape(json.loads(geometry_json))
    if tolerance_m > 0:
        to_metres = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform
        to_degrees = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True).transform
        geometry = transform(to_degrees, transform(to_metres, geometry).buffer(tolerance_m))
    return Boundary(geometry, name)


def municipality_boundary(municipality: Municipality, tolerance_m: float = TOLERANCE_M) -> Boundary:
    """The boundary used to accept or reject points (buffered by the tolerance)."""
    return _boundary(_geometry_json(municipality), municipality.full_name, tolerance_m)


def _geometry_json(municipality: Municipality) -> str:
    if not municipality.geometry:
        raise MunicipalityNotLoaded(
            f"Kommungränsen för {municipality.full_name} saknas. Kör 'manage.py load_municipality "
            f"--code {municipality.code}' för att läsa in den."
        )
    return json.dumps(municipality.geometry, sort_keys=True)


def boundary_of(geometry: dict, name: str) -> Boundary:
    """A cached Boundary for any GeoJSON polygon (a district), without tolerance."""
    return _boundary(json.dumps(geometry, sort_keys=True), name, 0)


def district_for_point(lat: float, lon: float, districts: list[District]) -> District | None:
    """The first district whose geometry contains the point (districts without geometry are skipped)."""
    for district in districts:
        if district.geometry and boundary_of(district.geometry, district.name).contains(lat, lon):
            return district
    return None


@lru_cache(maxsize=32)
def _cells(geometry_json: str, resolution: int) -> np.ndarray:
    return _boundary(geometry_json, "", 0).cells(resolution)


def municipality_cells(municipality: Municipality, resolution: int) -> np.ndarray:
    """Every H3 cell overlapping the municipality: the study area of the hotspot analysis, so that cells
    without incidents count as zeros rather than being left out."""
    return _cells(_geometry_json(municipality), resolution)
