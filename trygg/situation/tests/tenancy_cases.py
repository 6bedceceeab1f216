"""Tenant-isolation cases of the lägesbild (trygg/tests/test_tenant_isolation.py): for every URL with an id,
make(municipality) creates an object owned by that municipality and returns the URL's kwargs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trygg.places.models import Place
from trygg.situation.actions import LocationContext, apply_location
from trygg.situation.models import Action, CameraSite, Category, FocusArea, Incident, Meeting


def _place(m) -> Place:
    """A place at the municipality's boundary's representative point (inside by construction)."""
    from shapely.geometry import shape

    from trygg.lib.geo import cells_for_point

    point = shape(m.geometry).representative_point()
    lat, lon = point.y, point.x
    cells = cells_for_point(lat, lon)
    return Place.objects.get_or_create(
        municipality=m,
        name=f"Testplats {m.code}",
        defaults={"lat": lat, "lon": lon, "h3_r7": cells[7], "h3_r8": cells[8], "h3_r9": cells[9]},
    )[0]


def incident(m) -> dict:
    category = Category.objects.get_or_create(slug="ovrigt", defaults={"name": "Övrigt"})[0]
    row = Incident(category=category, occurred_from=timezone.now() - dt.timedelta(days=2))
    apply_location(row, LocationContext.of(m), place=_place(m), lat=None, lon=None)
    row.save()
    return {"pk": row.pk}


def meeting(m) -> dict:
    return {"pk": Meeting.objects.create(municipality=m, date=timezone.localdate()).pk}


def focus_area(m) -> dict:
    area = FocusArea.objects.create(
        municipality=m, place=_place(m), problem="Häng", start=timezone.localdate(), weeks=4
    )
    return {"pk": area.pk}


def action(m) -> dict:
    return {"pk": Action.objects.create(municipality=m, kind="other", title="Åtgärd").pk}


def camera(m) -> dict:
    place = _place(m)
    site = CameraSite.objects.create(
        municipality=m,
        name="Kamera",
        place=place,
        lat=place.lat,
        lon=place.lon,
        purpose="Trygghet",
        permit_status="applied",
    )
    return {"pk": site.pk}


CASES = {
    "situation:incident_detail": incident,
    "situation:incident_edit": incident,
    "situation:meeting_detail": meeting,
    "situation:meeting_edit": meeting,
    "situation:meeting_recompute": meeting,
    "situation:meeting_brief_pdf": meeting,
    "situation:meeting_brief_docx": meeting,
    "situation:focus_area_detail": focus_area,
    "situation:focus_area_edit": focus_area,
    "situation:action_detail": action,
    "situation:action_edit": action,
    "situation:action_status": action,
    "situation:camera_edit": camera,
}
EXEMPT = {
    "situation:category_edit": "the incident categories are one taxonomy shared by every municipality "
    "(edited by installation administrators only)",
}
