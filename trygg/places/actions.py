"""Writes of municipalities, districts and places, all through trygg.accounts.writes: texts cleaned and
redacted (FREE_TEXT_FIELDS), points checked against the owning municipality's boundary, H3 cells computed,
one audit row with the true before/after values."""

from __future__ import annotations

import json

from django.db import transaction

from trygg.accounts import writes
from trygg.lib.sweden import county_names

from .boundary import cells_for_point, district_for_point, municipality_boundary
from .models import District, Municipality, Place

PLACE_FIELDS = ("name", "kind", "district", "aliases", "description", "lat", "lon", "active")


def check_inside(municipality: Municipality, lat: float, lon: float) -> None:
    """Raise OutsideBoundaryError (Swedish message naming the municipality) when the point is outside,
    MunicipalityNotLoaded when its boundary is not loaded yet."""
    municipality_boundary(municipality).require_inside(lat, lon)


def location_values(municipality: Municipality, lat: float, lon: float, district: District | None) -> dict:
    """The H3 columns, and the district when none is chosen, for a point of the municipality."""
    cells = cells_for_point(lat, lon)
    if district is None:
        district = district_for_point(lat, lon, list(District.objects.filter(municipality=municipality)))
    return {"h3_r7": cells[7], "h3_r8": cells[8], "h3_r9": cells[9], "district": district}


@transaction.atomic
def do_save_place(place: Place, *, acting_user) -> tuple[Place, str]:
    """Create or update a place from an (unsaved or form-changed) instance. The point must lie inside the
    place's own municipality (OutsideBoundaryError); texts are redacted (writes.WriteError when a text is too
    long). Returns (place, explanation of personal data removed, "" when none)."""
    municipality = place.municipality
    check_inside(municipality, place.lat, place.lon)
    values = {name: getattr(place, name) for name in PLACE_FIELDS}
    values.update(location_values(municipality, place.lat, place.lon, place.district))
    if place.pk is None:
        written = writes.create(Place, {"municipality": municipality, **values}, acting_user=acting_user)
    else:
        written = writes.update(place, values, acting_user=acting_user)
    return written.obj, written.explanation


@transaction.atomic
def do_save_district(
    municipality: Municipality, name: str, *, geometry: dict | None, approximate: bool, acting_user
) -> District:
    """Create or update the municipality's district with this name (GIS import, demo loader)."""
    existing = District.objects.filter(municipality=municipality, name=name).first()
    # As stored (tuples become lists), so that an unchanged geometry is seen as unchanged.
    geometry = json.loads(json.dumps(geometry)) if geometry is not None else None
    values = {"geometry": geometry, "approximate": approximate}
    if existing is None:
        return writes.create(
            District, {"municipality": municipality, "name": name, **values}, acting_user=acting_user
        ).obj
    return writes.update(existing, values, acting_user=acting_user).obj


@transaction.atomic
def do_load_municipality(code: str, *, acting_user=None) -> Municipality:
    """Create or update a hosted municipality (name, county, boundary) from the bundled boundary file.
    Raises loading.UnknownMunicipality (Swedish) for a code that is not in the file."""
    from .loading import SOURCE, boundary_feature

    feature = boundary_feature(code)
    props = feature["properties"]
    county_code = props.get("lan_code", "")
    values = {
        "name": props["kom_namn"],
        "county_code": county_code,
        "county_name": county_names().get(county_code, ""),
        "geometry": feature["geometry"],
        "source": SOURCE,
    }
    existing = Municipality.objects.filter(code=code).first()
    if existing is None:
        return writes.create(Municipality, {"code": code, **values}, acting_user=acting_user).obj
    return writes.update(existing, values, acting_user=acting_user).obj
