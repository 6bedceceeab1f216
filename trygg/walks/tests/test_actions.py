"""Walk actions: boundary checks, scores, the lägesbild incident of each finding, stops for trygg.dialog,
photos, measures."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.accounts.models import AuditEvent
from trygg.situation.models import Incident
from trygg.walks import actions
from trygg.walks.actions import WalkError
from trygg.walks.models import Finding, Measure, Photo, Walk

from .conftest import jpeg_with_gps, make_finding, make_measure, make_walk, place

GOTEBORG = (57.7089, 11.9746)  # outside Kungälv


def test_a_finding_becomes_an_incident_of_source_trygghetsvandring(kungalv, personas):
    walk = make_walk(kungalv, personas["coordinator"])
    finding = make_finding(
        walk, personas["partner"], category=Finding.Category.VANDALISM, description="Klotter."
    )
    incident = Incident.objects.get(pk=finding.incident_id)
    assert incident.municipality == kungalv and incident.category.slug == "skadegorelse"
    assert incident.place.name == "Utmarksvägen"
    assert incident.description.startswith(
        "Trygghetsvandring: Utmarksvägen (2023-10-12). Skadegörelse/klotter."
    )
    assert "Klotter." in incident.description
    assert incident.occurred_from.astimezone(actions.STOCKHOLM).time() == dt.time(19, 30)
    assert incident.source_organisation.name == "Polisen"  # the recorder's organisation
    assert incident.origin == Incident.Origin.WALK and incident.get_origin_display() == "Trygghetsvandring"


def test_only_walk_findings_have_the_walk_origin(kungalv, personas):
    from trygg.situation.actions import do_save_incident
    from trygg.situation.models import Category

    make_finding(make_walk(kungalv, personas["coordinator"]), personas["coordinator"])
    other, _ = do_save_incident(
        Incident(
            municipality=kungalv,
            category=Category.objects.get(slug="ovrigt"),
            occurred_from=dt.datetime(2023, 10, 1, 12, tzinfo=actions.STOCKHOLM),
        ),
        place=place(kungalv),
        lat=None,
        lon=None,
        description="Inrapporterad i lägesbilden.",
        acting_user=personas["coordinator"],
    )
    assert other.origin == Incident.Origin.MANUAL
    walk_incidents = Incident.objects.filter(origin=Incident.Origin.WALK)
    assert list(walk_incidents.values_list("description", flat=True)) == [
        "Trygghetsvandring: Utmarksvägen (2023-10-12). Belysning."
    ]


def test_incidents_of_older_findings_are_relabelled_by_the_migration(kungalv, personas):
    import importlib

    from django.apps import apps

    relabel = importlib.import_module("trygg.walks.migrations.0002_incident_origin_walk").relabel
    finding = make_finding(make_walk(kungalv, personas["coordinator"]), personas["coordinator"])
    Incident.objects.filter(pk=finding.incident_id).update(origin=Incident.Origin.MANUAL)  # as before
    relabel(apps, None)
    assert Incident.objects.get(pk=finding.incident_id).origin == Incident.Origin.WALK


def test_editing_a_finding_updates_its_incident_and_keeps_one(kungalv, personas):
    walk = make_walk(kungalv, personas["coordinator"])
    finding = make_finding(walk, personas["coordinator"])
    lat, lon = 57.8712, 11.9755
    finding.lat, finding.lon, finding.category = lat, lon, Finding.Category.LITTER
    actions.do_save_finding(finding, acting_user=personas["coordinator"])
    assert Incident.objects.count() == 1
    incident = Incident.objects.get()
    assert (incident.lat, incident.lon, incident.category.slug) == (lat, lon, "nedskrapning")
    assert incident.location_precision == Incident.Precision.POINT
    assert incident.origin == Incident.Origin.WALK


def test_moving_the_walk_date_moves_the_incidents(kungalv, personas):
    walk = make_walk(kungalv, personas["coordinator"])
    make_finding(walk, personas["coordinator"])
    walk.date = dt.date(2023, 11, 2)
    actions.do_save_walk(walk, acting_user=personas["coordinator"])
    assert Incident.objects.get().occurred_from.astimezone(actions.STOCKHOLM).date() == dt.date(2023, 11, 2)


def test_a_point_outside_the_municipality_is_refused(kungalv, personas):
    walk = make_walk(kungalv, personas["coordinator"])
    with pytest.raises(WalkError, match="utanför"):
        actions.do_save_finding(
            Finding(walk=walk, category=Finding.Category.OTHER, lat=GOTEBORG[0], lon=GOTEBORG[1]),
            acting_user=personas["coordinator"],
        )
    assert not Finding.objects.exists() and not Incident.objects.exists()


def test_a_place_of_another_municipality_is_refused(kungalv, other_municipality, personas):
    from trygg.demo import places as demo_places

    demo_places.load(other_municipality, acting_user=None)
    ale_place = other_municipality.places.first()
    walk = make_walk(kungalv, personas["coordinator"])
    with pytest.raises(WalkError, match="hör inte till"):
        actions.do_save_finding(
            Finding(walk=walk, category=Finding.Category.OTHER, place=ale_place),
            acting_user=personas["coordinator"],
        )


def test_a_finding_needs_a_place_or_a_point(kungalv, personas):
    walk = make_walk(kungalv, personas["coordinator"])
    with pytest.raises(WalkError, match="Välj en plats"):
        actions.do_save_finding(Finding(walk=walk, category="other"), acting_user=personas["coordinator"])


@pytest.mark.parametrize("score", [0, 6, 99])
def test_scores_outside_1_to_5_are_refused(kungalv, personas, score):
    walk = make_walk(kungalv, personas["coordinator"])
    with pytest.raises(WalkError, match="mellan 1 och 5"):
        make_finding(walk, personas["coordinator"], lighting=score)


def test_do_add_stop_appends_in_order_and_checks_the_boundary(kungalv, personas):
    walk = make_walk(kungalv, personas["coordinator"])
    first = actions.do_add_stop(walk, place=place(kungalv, "Brushanestigen/Trankärsvägen"), acting_user=None)
    second = actions.do_add_stop(
        walk, lat=57.8712, lon=11.9755, note="Markering från dialogen", acting_user=None
    )
    assert (first.order, second.order) == (1, 2)
    assert walk.route_geojson()["coordinates"] == [[first.lon, first.lat], [11.9755, 57.8712]]
    with pytest.raises(WalkError, match="utanför"):
        actions.do_add_stop(walk, lat=GOTEBORG[0], lon=GOTEBORG[1], acting_user=None)


def test_texts_are_redacted_with_the_walks_reason(kungalv, personas):
    walk, explanation = actions.do_save_walk(
        Walk(
            municipality=kungalv, title="Vandring", date=dt.date(2024, 1, 1), description="Ring 070-123 45 67"
        ),
        acting_user=personas["coordinator"],
    )
    assert "070" not in walk.description
    assert "trygghetsvandring" in explanation


def test_a_photo_is_stored_without_exif(kungalv, personas):
    finding = make_finding(make_walk(kungalv, personas["coordinator"]), personas["coordinator"])
    photo = actions.do_add_photo(finding, jpeg_with_gps(), acting_user=personas["coordinator"])
    stored = bytes(Photo.objects.get(pk=photo.pk).data)
    assert stored[:2] == b"\xff\xd8" and b"Exif" not in stored and b"Telefonfabrik" not in stored
    row = AuditEvent.objects.get(action="photo.create")
    assert row.changes["sha256"] == [None, photo.sha256] and "data" not in row.changes


def test_a_non_image_named_jpg_is_refused_and_nothing_is_stored(kungalv, personas):
    finding = make_finding(make_walk(kungalv, personas["coordinator"]), personas["coordinator"])
    with pytest.raises(WalkError, match="inte en bild"):
        actions.do_add_photo(finding, b"MZ\x90\x00 not an image", acting_user=personas["coordinator"])
    assert not Photo.objects.exists()


def test_a_measure_needs_someone_responsible_of_the_municipality(kungalv, other_municipality, personas):
    from trygg.accounts.models import Unit

    finding = make_finding(make_walk(kungalv, personas["coordinator"]), personas["coordinator"])
    with pytest.raises(WalkError, match="ansvarig"):
        make_measure(finding, personas["coordinator"])
    ale_unit = Unit.objects.create(municipality=other_municipality, name="Ales enhet")
    with pytest.raises(WalkError, match="hör inte till"):
        make_measure(finding, personas["coordinator"], responsible_unit=ale_unit)


def test_open_and_overdue_measures(walk_world):
    today = dt.date(2024, 6, 1)
    assert set(Measure.objects.open()) == {walk_world["unit_measure"], walk_world["housing_measure"]}
    assert list(Measure.objects.overdue(today)) == [walk_world["unit_measure"]]
    assert walk_world["unit_measure"].is_overdue(today)
