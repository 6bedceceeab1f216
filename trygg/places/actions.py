"""Writes of places: validated against the boundary, free text redacted, H3 cells computed, audited."""

from __future__ import annotations

from django.db import transaction

from trygg.accounts.audit import record_audit
from trygg.lib import pii

from .boundary import cells_for_point, district_for_point, municipality_boundary
from .models import District, Municipality, Place

PLACE_FIELDS = ("name", "kind", "district_id", "aliases", "description", "lat", "lon", "active")
PLACE_TEXTS = {"name": "namnet", "aliases": "de andra namnen", "description": "beskrivningen"}


def check_inside(municipality: Municipality, lat: float, lon: float) -> None:
    """Raise OutsideBoundaryError (Swedish message naming the municipality) when the point is outside."""
    municipality_boundary(municipality).require_inside(lat, lon)


def set_location(place: Place) -> None:
    """Fill the H3 columns (and the district, when none is chosen) from the coordinates."""
    cells = cells_for_point(place.lat, place.lon)
    place.h3_r7, place.h3_r8, place.h3_r9 = cells[7], cells[8], cells[9]
    if place.district_id is None:
        districts = list(District.objects.filter(municipality_id=place.municipality_id))
        place.district = district_for_point(place.lat, place.lon, districts)


@transaction.atomic
def do_save_place(place: Place, *, acting_user) -> tuple[Place, str]:
    """Create or update a place. The point must lie inside its municipality (OutsideBoundaryError); the
    texts are redacted (pii.TextTooLongError when a redacted text no longer fits). Returns (place,
    explanation of personal data removed, "" when none)."""
    check_inside(place.municipality, place.lat, place.lon)
    explanation, _ = pii.redact_fields(place, PLACE_TEXTS)
    created = place.pk is None
    before = {} if created else dict(Place.objects.filter(pk=place.pk).values(*PLACE_FIELDS).get())
    set_location(place)
    place.save()
    after = {f: getattr(place, f) for f in PLACE_FIELDS}
    changes = {f: [before.get(f), after[f]] for f in PLACE_FIELDS if before.get(f) != after[f]}
    if changes:
        record_audit(acting_user, "place.create" if created else "place.update", place, changes)
    return place, explanation
