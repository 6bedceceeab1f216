"""Boundary, districts, places: points outside the municipality are refused with a clear message."""

from __future__ import annotations

import h3
import pytest
from django.core.management import CommandError, call_command

from trygg.accounts.models import AuditEvent
from trygg.demo import places as demo_places
from trygg.lib.geo import OutsideBoundaryError
from trygg.places.actions import check_inside, do_save_place
from trygg.places.boundary import district_for_point, municipality_boundary, municipality_cells
from trygg.places.loading import UnknownMunicipality, load_municipality
from trygg.places.models import District, Municipality, MunicipalityNotLoaded, Place


def h3_cell(lat: float, lon: float, resolution: int) -> int:
    """The H3 cell as the h3 library computes it (an independent oracle for the stored columns)."""
    return h3.str_to_int(h3.latlng_to_cell(lat, lon, resolution))


PLACES = demo_places.KUNGALV_PLACES

pytestmark = pytest.mark.django_db

GOTHENBURG = (57.7089, 11.9746)
MARSTRAND = (57.8870, 11.5850)


def load_demo_places(code: str = "1482"):
    """The municipality (boundary loaded) with its demo districts and places."""
    municipality = load_municipality(code)
    demo_places.load(municipality, acting_user=None)
    return municipality


def test_any_kommun_code_loads_with_its_name_and_county():
    municipality = load_municipality("0180")
    assert (municipality.name, municipality.county_name) == ("Stockholm", "Stockholms län")
    assert municipality.geometry["type"] in ("Polygon", "MultiPolygon")


def test_an_unknown_code_is_refused():
    with pytest.raises(UnknownMunicipality, match="9999"):
        load_municipality("9999")
    with pytest.raises(CommandError, match="9999"):
        call_command("load_municipality", "--code", "9999")


def test_a_boundary_must_be_loaded_before_points_are_checked():
    hosted = Municipality.objects.create(code="1440", name="Ale")
    with pytest.raises(MunicipalityNotLoaded, match="load_municipality --code 1440"):
        check_inside(hosted, 57.894, 12.067)


def test_load_municipality_defaults_to_the_installation_and_is_audited(settings):
    settings.TRYGG_MUNICIPALITY_CODE = "1482"
    call_command("load_municipality")
    kungalv = Municipality.objects.get(code="1482")
    assert kungalv.name == "Kungälv" and kungalv.geometry
    created = AuditEvent.objects.get(action="municipality.create")
    assert created.changes["code"] == [None, "1482"] and created.object_id == str(kungalv.pk)
    call_command("load_municipality", "--code", "1482")  # unchanged: nothing audited
    assert AuditEvent.objects.filter(object_type="places.municipality").count() == 1
    Municipality.objects.filter(pk=kungalv.pk).update(name="Kungelf")
    call_command("load_municipality", "--code", "1482")
    updated = AuditEvent.objects.get(action="municipality.update")
    assert updated.changes == {"name": ["Kungelf", "Kungälv"]}


def test_load_municipality_with_a_code_loads_another_municipality():
    call_command("load_municipality", "--code", "1440")
    assert Municipality.objects.get(code="1440").name == "Ale"


def test_ale_demo_places_lie_inside_ale():
    ale = load_demo_places("1440")
    assert Place.objects.filter(municipality=ale).count() == len(demo_places.ALE_PLACES)
    assert District.objects.filter(municipality=ale).count() == len(demo_places.ALE_DISTRICTS)
    assert Place.objects.get(name="Ale torg").district.name == "Nödinge-Nol"


def test_points_outside_kungalv_are_refused_with_a_swedish_message():
    kungalv = load_municipality("1482")
    check_inside(kungalv, *MARSTRAND)
    with pytest.raises(OutsideBoundaryError) as info:
        check_inside(kungalv, *GOTHENBURG)
    assert str(info.value) == "Punkten (57,7089, 11,9746) ligger utanför Kungälvs kommun."


def test_the_tolerance_accepts_a_border_place_the_simplified_polygon_misses():
    kungalv = load_municipality("1482")
    bohus = (57.8608, 11.9950)  # Bohus fästning, on the river that is the border
    assert not municipality_boundary(kungalv, tolerance_m=0).contains(*bohus)
    assert municipality_boundary(kungalv).contains(*bohus)


def test_demo_places_lie_inside_and_get_districts_and_cells():
    load_demo_places("1482")
    assert Place.objects.count() == len(PLACES)
    assert District.objects.count() == 7
    assert AuditEvent.objects.filter(action="place.create").count() == len(PLACES)
    vita = Place.objects.get(name="Vita fläcken")
    assert vita.h3_r8 == h3_cell(vita.lat, vita.lon, 8)
    assert vita.district.name == "Kungälv tätort"
    assert Place.objects.get(name="Kode busstation").district.name == "Kode"
    assert Place.objects.get(name="Marstrands hamn").district.name == "Marstrand"
    audited = AuditEvent.objects.count()
    load_demo_places("1482")  # idempotent, and nothing changed: nothing audited
    assert Place.objects.count() == len(PLACES)
    assert AuditEvent.objects.count() == audited


def test_districts_partition_the_municipality():
    load_demo_places("1482")
    districts = list(District.objects.all())
    kungalv = Municipality.objects.get(code="1482")
    boundary = municipality_boundary(kungalv, tolerance_m=0)
    south, west, north, east = (
        boundary.bounds.south,
        boundary.bounds.west,
        boundary.bounds.north,
        boundary.bounds.east,
    )
    inside = 0
    for i in range(15):
        for j in range(15):
            lat, lon = south + (north - south) * (i + 0.5) / 15, west + (east - west) * (j + 0.5) / 15
            if boundary.contains(lat, lon):
                inside += 1
                assert district_for_point(lat, lon, districts) is not None, (lat, lon)
    assert inside > 50


def test_study_area_cells_cover_every_place():
    load_demo_places("1482")
    cells = set(municipality_cells(Municipality.objects.get(code="1482"), 8).tolist())
    assert len(cells) > 500
    assert all(p.h3_r8 in cells for p in Place.objects.all())


def test_do_save_place_computes_cells_and_district_and_audits(personas):
    kungalv = load_demo_places("1482")
    place = Place(municipality=kungalv, name="Ny plats", kind="square", lat=57.8720, lon=11.9770)
    saved, explanation = do_save_place(place, acting_user=personas["coordinator"])
    place = Place.objects.get(pk=saved.pk)
    assert explanation == ""
    assert place.h3_r9 == h3_cell(57.8720, 11.9770, 9)
    assert place.district.name == "Kungälv tätort"
    event = AuditEvent.objects.get(object_type="places.place", object_id=str(place.pk))
    assert event.action == "place.create" and event.actor == personas["coordinator"]


def test_do_save_place_refuses_a_point_outside_and_writes_nothing(personas):
    kungalv = load_demo_places("1482")
    place = Place(municipality=kungalv, name="Göteborg", kind="square", lat=GOTHENBURG[0], lon=GOTHENBURG[1])
    with pytest.raises(OutsideBoundaryError):
        do_save_place(place, acting_user=personas["coordinator"])
    assert not Place.objects.filter(name="Göteborg").exists()
    assert not AuditEvent.objects.filter(object_type="places.place", object_id="").exists()
    assert not AuditEvent.objects.filter(action="place.create", changes__name=[None, "Göteborg"]).exists()
