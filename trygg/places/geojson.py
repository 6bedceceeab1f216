"""GeoJSON features for the boundary, districts and places (used by the map endpoints)."""

from __future__ import annotations

from collections.abc import Iterable

from .models import District, Municipality, Place


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def point(lat: float, lon: float) -> dict:
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def boundary_feature(municipality: Municipality) -> dict:
    return {
        "type": "Feature",
        "geometry": municipality.geometry,
        "properties": {"kind": "municipality", "code": municipality.code, "name": municipality.name},
    }


def district_features(districts: Iterable[District]) -> list[dict]:
    return [
        {
            "type": "Feature",
            "geometry": d.geometry,
            "properties": {"kind": "district", "id": d.pk, "name": d.name, "approximate": d.approximate},
        }
        for d in districts
        if d.geometry
    ]


def place_features(places: Iterable[Place]) -> list[dict]:
    """Places as points. Expects district to be select_related."""
    return [
        {
            "type": "Feature",
            "geometry": point(p.lat, p.lon),
            "properties": {
                "kind": "place",
                "id": p.pk,
                "name": p.name,
                "place_kind": p.get_kind_display(),
                "district": p.district.name if p.district else "",
            },
        }
        for p in places
    ]
