"""Walk pages for every role, the outsider and the wrong method; the public protocol page without login."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from trygg.accounts.models import AuditEvent
from trygg.situation.models import Incident
from trygg.walks.models import Finding, Measure, Photo, Walk

from .conftest import jpeg_with_gps, place

ROLES = ["admin", "coordinator", "unit_editor", "partner", "reader", "outsider"]
READERS = {"admin", "coordinator", "unit_editor", "partner", "reader"}
MANAGERS = {"admin", "coordinator"}
RECORDERS = {"admin", "coordinator", "unit_editor", "partner"}


def _status(role, allowed):
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_read_pages_by_role(client, personas, walk_world, role):
    client.force_login(personas[role])
    w, f = walk_world["walk"], walk_world["finding"]
    for url in [
        reverse("walks:walk_list"),
        reverse("walks:measure_list"),
        reverse("walks:walk_detail", args=[w.pk]),
        reverse("walks:finding_detail", args=[f.pk]),
        reverse("walks:protocol_html", args=[w.pk]),
    ]:
        expected = 200 if role in READERS else (403 if "fynd" not in url and str(w.pk) not in url else 404)
        if role == "outsider" and url in (reverse("walks:walk_list"), reverse("walks:measure_list")):
            expected = 403
        assert client.get(url).status_code == expected, (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_plan_a_walk_by_role(client, personas, kungalv, role):
    client.force_login(personas[role])
    url = reverse("walks:walk_create")
    data = {"title": "Skarpe Nord", "date": "2024-04-18", "start_time": "20:00", "status": "planned"}
    response = client.post(url, data)
    if role in MANAGERS:
        assert response.status_code == 302
        assert Walk.objects.get(title="Skarpe Nord").municipality == kungalv
    else:
        assert response.status_code == 403 and not Walk.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_record_a_finding_by_role(client, personas, walk_world, role):
    client.force_login(personas[role])
    walk = walk_world["walk"]
    url = reverse("walks:finding_create", args=[walk.pk])
    data = {
        "category": "vegetation",
        "place": place(walk.municipality, "Skarpe Nord").pk,
        "feeling": "2",
        "lighting": "1",
        "description": "Buskar skymmer sikten.",
    }
    before = Finding.objects.count()
    response = client.post(url, data)
    if role in RECORDERS:
        assert response.status_code == 302, response.content.decode()[:1500]
        finding = Finding.objects.latest("pk")
        assert (finding.category, finding.feeling, finding.lighting, finding.openness) == (
            "vegetation",
            2,
            1,
            None,
        )
        assert finding.incident is not None
    else:
        assert response.status_code == (403 if role == "reader" else 404)
        assert Finding.objects.count() == before


def test_record_a_finding_at_my_position_with_a_photo(client, personas, walk_world):
    client.force_login(personas["partner"])
    walk = walk_world["walk"]
    upload = io.BytesIO(jpeg_with_gps())
    upload.name = "IMG_0001.jpg"
    response = client.post(
        reverse("walks:finding_create", args=[walk.pk]),
        {"category": "lighting", "lat": "57,8712", "lon": "11,9755", "photo": upload},
    )
    assert response.status_code == 302
    finding = Finding.objects.latest("pk")
    assert (finding.lat, finding.lon) == (57.8712, 11.9755)
    photo = Photo.objects.get(finding=finding)
    served = client.get(reverse("walks:photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/jpeg" and b"Telefonfabrik" not in served.content


def test_a_non_image_named_jpg_is_refused_with_a_swedish_message(client, personas, walk_world):
    client.force_login(personas["coordinator"])
    finding = walk_world["finding"]
    upload = io.BytesIO(b"<?php echo 'not an image'; ?>")
    upload.name = "bild.jpg"
    response = client.post(reverse("walks:photo_add", args=[finding.pk]), {"photo": upload}, follow=True)
    assert "inte en bild i formatet JPEG, PNG eller WebP" in response.content.decode()
    assert not Photo.objects.exists()


def test_a_point_outside_the_municipality_is_a_form_error(client, personas, walk_world):
    client.force_login(personas["coordinator"])
    response = client.post(
        reverse("walks:finding_create", args=[walk_world["walk"].pk]),
        {"category": "lighting", "lat": "57.7089", "lon": "11.9746"},
    )
    assert response.status_code == 200 and "utanför" in response.content.decode()


def test_partner_edits_own_findings_only(client, personas, walk_world):
    finding = walk_world["finding"]  # recorded by the partner
    client.force_login(personas["partner"])
    assert client.get(reverse("walks:finding_edit", args=[finding.pk])).status_code == 200
    client.force_login(personas["unit_editor"])
    assert client.get(reverse("walks:finding_edit", args=[finding.pk])).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_update_a_measure_by_role(client, personas, walk_world, role):
    """The unit editor updates the measure of their unit, not the housing company's; the partner (Polisen)
    neither; coordinators both."""
    client.force_login(personas[role])
    for key, allowed in (("unit_measure", MANAGERS | {"unit_editor"}), ("housing_measure", MANAGERS)):
        measure = walk_world[key]
        data = {
            "status": "ongoing",
            "title": "Nytt namn" if role == "unit_editor" else measure.title,
            "responsible_unit": measure.responsible_unit_id or "",
            "responsible_organisation": measure.responsible_organisation_id or "",
        }
        response = client.post(reverse("walks:measure_edit", args=[measure.pk]), data)
        measure.refresh_from_db()
        if role in allowed:
            assert response.status_code == 302, (role, key)
            assert measure.status == "ongoing"
        else:
            assert response.status_code == (404 if role == "outsider" else 403), (role, key)
            assert measure.status == "planned"
    if role == "unit_editor":
        assert walk_world["unit_measure"].title == "Byt armaturer"  # a unit may not rename the measure


@pytest.mark.parametrize("role", ROLES)
def test_assign_a_measure_by_role(client, personas, walk_world, housing, role):
    client.force_login(personas[role])
    url = reverse("walks:measure_create", args=[walk_world["finding"].pk])
    response = client.post(
        url, {"title": "Ny lampa", "responsible_organisation": housing.pk, "status": "planned"}
    )
    if role in MANAGERS:
        assert response.status_code == 302 and Measure.objects.filter(title="Ny lampa").exists()
    else:
        assert response.status_code == (404 if role == "outsider" else 403)


def test_a_measure_without_anyone_responsible_is_a_form_error(client, personas, walk_world):
    client.force_login(personas["coordinator"])
    url = reverse("walks:measure_create", args=[walk_world["finding"].pk])
    response = client.post(url, {"title": "Ny lampa", "status": "planned"})
    assert (
        response.status_code == 200
        and "Ange en ansvarig enhet eller samverkanspart" in response.content.decode()
    )


def test_coordinator_adds_and_removes_a_stop(client, personas, walk_world):
    client.force_login(personas["coordinator"])
    walk = walk_world["walk"]
    response = client.post(reverse("walks:stop_add", args=[walk.pk]), {"place": place(walk.municipality).pk})
    assert response.status_code == 302
    stop = walk.stops.get()
    assert client.get(reverse("walks:stop_delete", args=[stop.pk])).status_code == 405
    assert client.post(reverse("walks:stop_delete", args=[stop.pk])).status_code == 302
    assert not walk.stops.exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("walks:walk_list", "post"),
        ("walks:measure_list", "post"),
        ("walks:walk_detail", "post"),
        ("walks:protocol_pdf", "post"),
        ("walks:finding_detail", "post"),
        ("walks:photo_add", "get"),
        ("walks:public_walk", "post"),
        ("walks:walk_create", "put"),
    ],
)
def test_wrong_method(client, personas, walk_world, name, method):
    client.force_login(personas["coordinator"])
    obj = walk_world["finding"] if "photo" in name or "finding" in name else walk_world["walk"]
    kwargs = (
        {"pk": obj.pk} if name not in ("walks:walk_list", "walks:measure_list", "walks:walk_create") else {}
    )
    assert getattr(client, method)(reverse(name, kwargs=kwargs)).status_code == 405


def test_anonymous_is_sent_to_login(client, walk_world):
    response = client.get(reverse("walks:walk_detail", args=[walk_world["walk"].pk]))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_public_page_shows_points_and_what_happened_without_names(client, personas, walk_world):
    walk, measure = walk_world["walk"], walk_world["unit_measure"]
    measure.status = Measure.Status.DONE
    measure.save(update_fields=["status"])
    response = client.get(reverse("walks:public_walk", args=[walk.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Belysning: Utmarksvägen" in html and "Byt armaturer: <strong>Klar</strong>" in html
    for private in ("Polisen", "samordnare", "Mörk gångtunnel", "foton/"):
        assert private not in html


def test_public_page_of_an_unpublished_walk_is_a_404(client, walk_world):
    walk = walk_world["walk"]
    Walk.objects.filter(pk=walk.pk).update(published=False)
    assert client.get(reverse("walks:public_walk", args=[walk.pk])).status_code == 404
    assert walk.title not in client.get(reverse("walks:public_list")).content.decode()


def test_findings_show_in_the_lagesbild(client, personas, walk_world):
    client.force_login(personas["coordinator"])
    period = {"start": "2023-10-01", "end": "2023-10-31"}
    table = client.get(reverse("situation:table"), period).content.decode()
    assert "Trygghetsvandring: Utmarksvägen (2023-10-12). Belysning." in table
    assert "(trygghetsvandring)</td>" in table  # the source column names the origin
    incident = Incident.objects.get(pk=walk_world["finding"].incident_id)
    detail = client.get(reverse("situation:incident_detail", args=[incident.pk])).content.decode()
    assert "<dt>Ursprung</dt><dd>Trygghetsvandring</dd>" in detail
    assert incident.is_mappable and incident.category.name == "Otrygg plats"


def test_every_write_is_audited(client, personas, walk_world):
    client.force_login(personas["coordinator"])
    measure = walk_world["housing_measure"]
    client.post(
        reverse("walks:measure_edit", args=[measure.pk]),
        {
            "title": measure.title,
            "responsible_organisation": measure.responsible_organisation_id,
            "status": "done",
        },
    )
    row = AuditEvent.objects.filter(action="measure.update").latest("pk")
    assert row.changes["status"] == ["planned", "done"]


@pytest.mark.parametrize("role", [r for r in ROLES if r not in MANAGERS])
def test_only_coordinators_may_delete_a_finding(client, personas, walk_world, role):
    """Even the partner who recorded it may not (they edit it); an outsider gets 404; nothing is removed."""
    client.force_login(personas[role])
    url = reverse("walks:finding_delete", args=[walk_world["finding"].pk])
    expected = 404 if role == "outsider" else 403
    assert client.get(url).status_code == expected
    assert client.post(url).status_code == expected
    assert Finding.objects.filter(pk=walk_world["finding"].pk).exists()
    assert client.put(url).status_code == 405


def test_coordinator_deletes_a_finding_with_its_photos_measures_and_incident(client, personas, walk_world):
    client.force_login(personas["coordinator"])
    finding = walk_world["finding"]
    upload = io.BytesIO(jpeg_with_gps())
    upload.name = "bild.jpg"
    client.post(reverse("walks:photo_add", args=[finding.pk]), {"photo": upload})
    incident_pk = finding.incident_id
    assert Photo.objects.filter(finding=finding).count() == 1
    detail = client.get(reverse("walks:finding_detail", args=[finding.pk])).content.decode()
    url = reverse("walks:finding_delete", args=[finding.pk])
    assert url in detail
    confirm = client.get(url).content.decode()
    assert "1 foto" in confirm and "2 åtgärder" in confirm and "Beskär buskar" in confirm
    assert "händelsen i lägesbilden" in confirm
    assert Finding.objects.filter(pk=finding.pk).exists()  # GET deletes nothing

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("walks:walk_detail", args=[walk_world["walk"].pk])
    assert "Fyndet är borttaget, med 1 foton och 2 åtgärder" in response.content.decode()
    assert not Finding.objects.filter(pk=finding.pk).exists()
    assert not Photo.objects.exists() and not Measure.objects.exists()
    assert not Incident.objects.filter(pk=incident_pk).exists()
    deleted = set(AuditEvent.objects.filter(action__endswith=".delete").values_list("object_type", flat=True))
    assert deleted == {"walks.finding", "walks.photo", "walks.measure", "situation.incident"}
    table = client.get(reverse("situation:table"), {"start": "2023-10-01", "end": "2023-10-31"})
    assert "Trygghetsvandring: Utmarksvägen" not in table.content.decode()
    public = client.get(reverse("walks:public_walk", args=[walk_world["walk"].pk])).content.decode()
    assert "Beskär buskar" not in public


def test_a_failed_deletion_leaves_everything_in_place(client, personas, walk_world, monkeypatch):
    from trygg.accounts import writes

    real_delete = writes.delete

    def fail_on_incident(obj, **kwargs):
        if isinstance(obj, Incident):
            raise RuntimeError("database gone")
        return real_delete(obj, **kwargs)

    monkeypatch.setattr(writes, "delete", fail_on_incident)
    client.force_login(personas["coordinator"])
    client.raise_request_exception = False
    finding = walk_world["finding"]
    assert client.post(reverse("walks:finding_delete", args=[finding.pk])).status_code == 500
    assert Finding.objects.filter(pk=finding.pk).exists() and Measure.objects.count() == 2
    assert Incident.objects.filter(pk=finding.incident_id).exists()


def test_coordinator_edits_another_recorders_finding_and_its_incident_follows(client, personas, walk_world):
    client.force_login(personas["coordinator"])
    finding = walk_world["finding"]  # recorded by the partner
    response = client.post(
        reverse("walks:finding_edit", args=[finding.pk]),
        {
            "category": "litter",
            "place": place(finding.walk.municipality).pk,
            "feeling": "4",
            "description": "Skräp vid tunneln.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    finding.refresh_from_db()
    assert (finding.category, finding.feeling, finding.description) == ("litter", 4, "Skräp vid tunneln.")
    incident = Incident.objects.get(pk=finding.incident_id)
    assert incident.category.slug == "nedskrapning" and "Skräp vid tunneln." in incident.description
    assert incident.origin == Incident.Origin.WALK
