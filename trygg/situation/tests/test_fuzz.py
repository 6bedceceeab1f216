"""Junk in every query parameter and every form field of the lägesbild and the places: never a 500.

Every URL name of trygg.situation and trygg.places is reversed (with the `world` fixture's objects for the
URLs that take a pk); a URL added later without an entry in OBJECT_FOR fails the collection test. Each URL
is fetched with junk in every query parameter the views read, and posted junk in every form field, as a
coordinator (who may use every page). The test client re-raises exceptions, so a crash fails the test
with its traceback; any 5xx answer fails it too.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.places import urls as places_urls
from trygg.places.models import District, Place
from trygg.situation import urls as situation_urls
from trygg.situation.models import Category

JUNK = [
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "1e308",
    "nan",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:30",
    "9999-12-31T23:59",
    "2024-02-30",
    "<b>x</b>",
    "x" * 1001,
    "\x00",
]
QUERY_PARAMS = [
    "start",
    "end",
    "category",
    "source",
    "resolution",
    "sida",
    "visa",
    "mote",
    "fokusomrade",
    "bbox",
    "zoom",
    "efter",
    "ordning",
]
FILTER_PARAMS = ["start", "end", "category", "source", "resolution"]
FILTER_URLS = {
    "situation:map",
    "situation:map_data",
    "situation:map_view",
    "situation:table",
    "situation:export_csv",
    "situation:export_geojson",
}

# URL name -> key of the `world` object whose pk the URL takes.
OBJECT_FOR = {
    "situation:incident_detail": "own",
    "situation:incident_edit": "own",
    "situation:meeting_detail": "meeting",
    "situation:meeting_edit": "meeting",
    "situation:meeting_recompute": "meeting",
    "situation:meeting_brief_pdf": "meeting",
    "situation:meeting_brief_docx": "meeting",
    "situation:focus_area_detail": "area",
    "situation:focus_area_edit": "area",
    "situation:action_detail": "action",
    "situation:action_edit": "action",
    "situation:action_status": "action",
    "situation:camera_edit": "camera",
    "situation:category_edit": "category",
    "places:place_edit": "place",
}


def _names(module) -> list[str]:
    return [f"{module.app_name}:{p.name}" for p in module.urlpatterns]


URL_NAMES = _names(situation_urls) + _names(places_urls)
PK_URL_NAMES = {
    f"{module.app_name}:{p.name}"
    for module in (situation_urls, places_urls)
    for p in module.urlpatterns
    if "pk" in p.pattern.converters
}


def url_of(name: str, world: dict) -> str:
    if name in PK_URL_NAMES:
        return reverse(name, args=[world[OBJECT_FOR[name]].pk])
    return reverse(name)


def valid_posts(world: dict) -> dict[str, dict]:
    """A valid POST for every form URL: the base that per-field junk is put into."""
    today = timezone.localdate()
    komarken = Place.objects.get(name="Komarken")
    org = world["own"].source_organisation_id
    incident = {
        "category": Category.objects.get(slug="ungdomshang").pk,
        "occurred_from": (timezone.localtime() - dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
        "occurred_to": (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": komarken.pk,
        "lat": "",
        "lon": "",
        "source_organisation": org,
        "description": "Grupp ungdomar.",
    }
    meeting = {"date": today.isoformat(), "kind": "lst_weekly", "organisations": [org], "notes": "Genomgång."}
    focus_area = {
        "meeting": world["meeting"].pk,
        "place": komarken.pk,
        "district": District.objects.first().pk,
        "category": world["category"].pk,
        "problem": "Häng",
        "start": today.isoformat(),
        "weeks": "4",
    }
    action = {
        "title": "Väktare",
        "kind": "guards",
        "focus_area": world["area"].pk,
        "meeting": world["meeting"].pk,
        "description": "Rundor.",
        "responsible_organisation": org,
        "responsible_unit": "",
        "start_date": today.isoformat(),
        "due_date": (today + dt.timedelta(days=14)).isoformat(),
        "status": "planned",
        "plan_activity": "",
    }
    camera = {
        "name": "Kamera",
        "place": komarken.pk,
        "area_description": "Torget",
        "lat": "57.8745",
        "lon": "11.956",
        "purpose": "Trygghet",
        "permit_status": "applied",
        "imy_reference": "DI-2021-1",
        "imy_decision_date": "2021-10-01",
        "in_operation_since": "2021-06-01",
        "notes": "Inga.",
    }
    category = {
        "name": "Brand",
        "slug": "brand",
        "description": "",
        "police_types": "Brand",
        "order": "5",
        "active": "on",
    }
    place = {
        "name": world["place"].name,
        "kind": "square",
        "district": "",
        "aliases": "",
        "description": "Torg.",
        "lat": "57.8720",
        "lon": "11.9770",
        "sweref_n": "",
        "sweref_e": "",
        "active": "on",
    }
    return {
        "situation:incident_create": incident,
        "situation:incident_edit": incident,
        "situation:meeting_create": meeting,
        "situation:meeting_edit": meeting,
        "situation:focus_area_create": focus_area,
        "situation:focus_area_edit": focus_area,
        "situation:action_create": action,
        "situation:action_edit": action,
        "situation:action_status": {"status": "ongoing"},
        "situation:camera_create": camera,
        "situation:camera_edit": camera,
        "situation:category_edit": category,
        "places:place_edit": place,
    }


@pytest.fixture
def fuzz_world(world):
    return {**world, "place": Place.objects.get(name="Nordmannatorget")}


def test_every_url_with_a_pk_has_an_object_to_use():
    assert not PK_URL_NAMES - set(OBJECT_FOR), sorted(PK_URL_NAMES - set(OBJECT_FOR))


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


@pytest.mark.parametrize("name", URL_NAMES)
def test_junk_query_parameters_never_give_a_server_error(personas, login, fuzz_world, name):
    client = login(personas["coordinator"])
    url = url_of(name, fuzz_world)
    for junk in JUNK:
        assert_no_server_error(client.get(url, dict.fromkeys(QUERY_PARAMS, junk)), f"{url} all={junk!r}")
        if name in FILTER_URLS:
            for param in FILTER_PARAMS:
                assert_no_server_error(client.get(url, {param: junk}), f"{url} {param}={junk!r}")


@pytest.mark.parametrize("name", URL_NAMES)
def test_junk_in_every_form_field_never_gives_a_server_error(personas, login, fuzz_world, name):
    # the shared category taxonomy is edited by installation administrators only
    client = login(personas["admin" if name.startswith("situation:category") else "coordinator"])
    url = url_of(name, fuzz_world)
    posts = valid_posts(fuzz_world)
    every_field = sorted({field for post in posts.values() for field in post})
    for junk in JUNK:
        response = client.post(url, dict.fromkeys(every_field, junk))
        assert_no_server_error(response, f"{url} all fields={junk!r}")
    base = posts.get(name)
    if base is None:
        return
    assert client.post(url, base).status_code == 302, f"the valid POST to {url} must save"
    for field in base:
        for junk in JUNK:
            response = client.post(url, {**base, field: junk})
            assert_no_server_error(response, f"{url} {field}={junk!r}")
