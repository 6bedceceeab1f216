"""Tenant-isolation cases of the walks (trygg/tests/test_tenant_isolation.py): for every URL with an id,
make(municipality) creates an object owned by that municipality and returns the URL's kwargs."""

from __future__ import annotations

import datetime as dt

from trygg.situation.tests.tenancy_cases import _place
from trygg.walks.models import Finding, Measure, Photo, Stop, Walk


def _walk(m) -> Walk:
    return Walk.objects.create(municipality=m, title=f"Vandring {m.code}", date=dt.date(2024, 4, 10))


def _finding(m) -> Finding:
    return Finding.objects.create(walk=_walk(m), category=Finding.Category.LIGHTING, place=_place(m))


def walk(m) -> dict:
    return {"pk": _walk(m).pk}


def stop(m) -> dict:
    place = _place(m)
    return {"pk": Stop.objects.create(walk=_walk(m), order=1, place=place, lat=place.lat, lon=place.lon).pk}


def finding(m) -> dict:
    return {"pk": _finding(m).pk}


def photo(m) -> dict:
    row = Photo.objects.create(
        finding=_finding(m), data=b"\xff\xd8\xff", width=1, height=1, byte_size=3, sha256="0" * 64
    )
    return {"pk": row.pk}


def measure(m) -> dict:
    return {"pk": Measure.objects.create(finding=_finding(m), title="Åtgärd").pk}


CASES = {
    "walks:walk_detail": walk,
    "walks:walk_edit": walk,
    "walks:stop_add": walk,
    "walks:finding_create": walk,
    "walks:protocol_html": walk,
    "walks:protocol_pdf": walk,
    "walks:protocol_docx": walk,
    "walks:stop_delete": stop,
    "walks:finding_detail": finding,
    "walks:finding_edit": finding,
    "walks:finding_delete": finding,
    "walks:photo_add": finding,
    "walks:measure_create": finding,
    "walks:photo": photo,
    "walks:photo_delete": photo,
    "walks:measure_edit": measure,
}
EXEMPT = {
    "walks:public_walk": "public page: a published walk is shown to anyone without login, an unpublished one is "
    "a 404 for everyone (test_views.test_public_page_*)",
}
