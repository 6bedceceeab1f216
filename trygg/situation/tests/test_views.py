"""Every lägesbild view for every persona, the wrong HTTP method, form flows and query-count guards."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trygg.places.models import Place
from trygg.situation.hotspots import hotspot_cache
from trygg.situation.models import Action, CameraSite, Category, FocusArea, Incident, Meeting

from .conftest import at, incident_post

READERS = ["admin", "coordinator", "unit_editor", "partner", "reader"]
WRITERS = ["admin", "coordinator", "partner"]
MANAGERS = ["admin", "coordinator"]


def read_urls(w):
    return [
        reverse("situation:map"),
        reverse("situation:map_data"),
        reverse("situation:table"),
        reverse("situation:meeting_list"),
        reverse("situation:meeting_detail", args=[w["meeting"].pk]),
        reverse("situation:focus_area_list"),
        reverse("situation:focus_area_detail", args=[w["area"].pk]),
        reverse("situation:action_list"),
        reverse("situation:action_list") + "?visa=forsenade",
        reverse("situation:action_list") + "?visa=alla",
        reverse("situation:action_detail", args=[w["action"].pk]),
        reverse("situation:camera_list"),
        reverse("situation:category_list"),
    ]


def raw_urls(w):
    """Single incidents and their exports: only for those who work the lägesbild (minimisation)."""
    return [
        reverse("situation:export_csv"),
        reverse("situation:export_geojson"),
        reverse("situation:incident_detail", args=[w["own"].pk]),
        reverse("situation:meeting_brief_pdf", args=[w["meeting"].pk]),
    ]


def write_urls(w):
    return [
        reverse("situation:incident_create"),
        reverse("situation:incident_edit", args=[w["own"].pk]),
        reverse("situation:meeting_create"),
        reverse("situation:meeting_edit", args=[w["meeting"].pk]),
        reverse("situation:focus_area_create"),
        reverse("situation:focus_area_edit", args=[w["area"].pk]),
        reverse("situation:action_create"),
        reverse("situation:action_edit", args=[w["action"].pk]),
    ]


def manage_urls(w):
    return [
        reverse("situation:camera_create"),
        reverse("situation:camera_edit", args=[w["camera"].pk]),
        reverse("situation:category_create"),
        reverse("situation:category_edit", args=[w["category"].pk]),
    ]


@pytest.mark.parametrize("who", READERS)
def test_every_role_reads_every_page(personas, login, world, who):
    client = login(personas[who])
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url
    for url in raw_urls(world):
        assert client.get(url).status_code == (200 if who in WRITERS else 403), url


def test_the_outsider_is_refused_everything(personas, login, world):
    """Pages without an id are refused (403); an object of a municipality where the user has no role does
    not exist for them (404)."""
    client = login(personas["outsider"])
    for url in [
        *read_urls(world),
        *raw_urls(world),
        *write_urls(world),
        *manage_urls(world),
    ]:
        has_id = (
            any(str(obj.pk) in url for obj in world.values() if hasattr(obj, "pk"))
            and "/kategorier/" not in url
        )
        assert client.get(url).status_code == (404 if has_id else 403), url
    assert (
        client.post(
            reverse("situation:action_status", args=[world["action"].pk]), {"status": "done"}
        ).status_code
        == 404
    )
    assert client.post(reverse("situation:incident_create"), {}).status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    for url in read_urls(world):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url


@pytest.mark.parametrize("who", READERS)
def test_write_pages_are_for_admins_coordinators_and_partners(personas, login, world, who):
    client = login(personas[who])
    for url in write_urls(world):
        assert client.get(url).status_code == (200 if who in WRITERS else 403), url


@pytest.mark.parametrize("who", READERS)
def test_registers_are_managed_by_admins_and_coordinators(personas, login, world, who):
    """The camera register by the municipality's admins and coordinators; the shared category taxonomy by
    installation administrators (superusers) only."""
    client = login(personas[who])
    for url in manage_urls(world):
        allowed = who == "admin" if "/kategorier/" in url else who in MANAGERS
        assert client.get(url).status_code == (200 if allowed else 403), url


@pytest.mark.parametrize(("who", "allowed"), [("partner", False), ("coordinator", True), ("admin", True)])
def test_only_the_reporting_organisation_or_a_coordinator_edits_an_incident(
    personas, login, world, who, allowed
):
    url = reverse("situation:incident_edit", args=[world["foreign"].pk])
    assert login(personas[who]).get(url).status_code == (200 if allowed else 403)


def test_a_partner_reports_an_incident_at_a_place_and_is_told_about_redaction(personas, login, world):
    client = login(personas["partner"])
    response = client.post(reverse("situation:incident_create"), incident_post(), follow=True)
    incident = Incident.objects.get(category__slug="narkotikaforsaljning")
    assert response.redirect_chain[-1][0] == reverse("situation:incident_detail", args=[incident.pk])
    assert incident.reported_by == personas["partner"] and incident.place.name == "Utmarksvägen"
    assert "070" not in incident.description
    page = response.content.decode()
    assert "Vi tog bort 1 telefonnummer ur beskrivningen" in page


def test_a_point_outside_the_municipality_is_refused_with_the_reason(personas, login, world):
    client = login(personas["partner"])
    response = client.post(
        reverse("situation:incident_create"), incident_post(place="", lat="57.7089", lon="11.9746")
    )
    assert response.status_code == 200
    assert "ligger utanför Kungälvs kommun" in response.content.decode()
    assert not Incident.objects.filter(category__slug="narkotikaforsaljning").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"place": ""}, "Välj en plats eller klicka i kartan"),
        ({"lat": "57.88", "place": ""}, "Ange både latitud och longitud"),
        ({"occurred_to": "2000-01-01T00:00"}, "Sluttiden ligger före starttiden"),
        ({"category": ""}, "Detta fält måste fyllas i"),
    ],
)
def test_invalid_reports_are_refused_in_swedish(personas, login, world, extra, message):
    response = login(personas["partner"]).post(reverse("situation:incident_create"), incident_post(**extra))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Incident.objects.filter(category__slug="narkotikaforsaljning").exists()


@pytest.mark.parametrize("who", ["unit_editor", "reader"])
def test_read_only_roles_cannot_post_anything(personas, login, world, who):
    client = login(personas[who])
    assert client.post(reverse("situation:incident_create"), incident_post()).status_code == 403
    assert (
        client.post(
            reverse("situation:action_status", args=[world["action"].pk]), {"status": "done"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("situation:meeting_create"), {"date": "2024-05-01", "kind": "lst_weekly"}
        ).status_code
        == 403
    )
    assert Incident.objects.count() == 2
    assert Action.objects.get().status == "planned"


def test_a_partner_records_a_meeting_focus_area_and_action(personas, login, world):
    client = login(personas["partner"])
    response = client.post(
        reverse("situation:meeting_create"),
        {
            "date": "2024-05-21",
            "kind": "lst_biweekly",
            "organisations": [personas["partner"].organisation.pk],
            "notes": "Genomgång.",
        },
    )
    meeting = Meeting.objects.get(date=dt.date(2024, 5, 21))
    assert response["Location"] == reverse("situation:meeting_detail", args=[meeting.pk])
    response = client.post(
        reverse("situation:focus_area_create"),
        {
            "meeting": meeting.pk,
            "place": Place.objects.get(name="Kode busstation").pk,
            "district": "",
            "category": "",
            "problem": "Häng vid busstationen",
            "start": "2024-05-21",
            "weeks": "6",
        },
    )
    area = FocusArea.objects.get(problem="Häng vid busstationen")
    assert area.end == dt.date(2024, 7, 2)
    client.post(
        reverse("situation:action_create"),
        {
            "title": "Väktare Kode",
            "kind": "guards",
            "focus_area": area.pk,
            "meeting": meeting.pk,
            "description": "",
            "responsible_organisation": "",
            "responsible_unit": "",
            "start_date": "2024-05-22",
            "due_date": "2024-06-30",
            "status": "planned",
            "plan_activity": "",
        },
    )
    action = Action.objects.get(title="Väktare Kode")
    client.post(reverse("situation:action_status", args=[action.pk]), {"status": "ongoing"})
    action.refresh_from_db()
    assert action.status == "ongoing" and action.focus_area == area


def test_a_focus_area_without_place_or_district_is_refused(personas, login, world):
    response = login(personas["partner"]).post(
        reverse("situation:focus_area_create"),
        {
            "meeting": "",
            "place": "",
            "district": "",
            "category": "",
            "problem": "x",
            "start": "2024-05-21",
            "weeks": "4",
        },
    )
    assert "Välj en plats eller en kommundel" in response.content.decode()


def test_an_administrator_edits_the_taxonomy_and_a_coordinator_the_camera_register(personas, login, world):
    refused = login(personas["coordinator"]).post(reverse("situation:category_create"), {"name": "X"})
    assert refused.status_code == 403
    client = login(personas["admin"])
    client.post(
        reverse("situation:category_create"),
        {
            "name": "Buskörning",
            "slug": "buskorning",
            "description": "",
            "police_types": "",
            "order": 35,
            "active": "on",
        },
    )
    assert Category.objects.filter(slug="buskorning").exists()
    client = login(personas["coordinator"])
    response = client.post(
        reverse("situation:camera_create"),
        {
            "name": "Kamera Kode",
            "place": Place.objects.get(name="Kode busstation").pk,
            "area_description": "",
            "lat": "",
            "lon": "",
            "purpose": "Trygghet",
            "permit_status": "applied",
            "imy_reference": "",
            "imy_decision_date": "",
            "in_operation_since": "",
            "notes": "",
        },
    )
    assert response.status_code == 302
    camera = CameraSite.objects.get(name="Kamera Kode")
    assert camera.lat == Place.objects.get(name="Kode busstation").lat
    assert camera.municipality == world["own"].municipality


@pytest.mark.parametrize(
    "name",
    [
        "situation:map",
        "situation:map_data",
        "situation:table",
        "situation:export_csv",
        "situation:meeting_list",
        "situation:action_list",
        "situation:camera_list",
    ],
)
def test_read_views_refuse_post(personas, login, world, name):
    assert login(personas["admin"]).post(reverse(name)).status_code == 405


def test_form_views_refuse_put_and_the_status_view_refuses_get(personas, login, world):
    client = login(personas["admin"])
    for url in [*write_urls(world), *manage_urls(world)]:
        assert client.put(url).status_code == 405, url
    assert client.get(reverse("situation:action_status", args=[world["action"].pk])).status_code == 405


def test_the_map_data_endpoint_has_a_constant_number_of_queries(
    personas, login, world, make_incident, django_assert_num_queries
):
    client = login(personas["partner"])
    url = reverse("situation:map_data")
    view_url = reverse("situation:map_view")
    # session, user, roles, the user's municipalities, readable municipalities (the "Alla mina kommuner"
    # choice), data version (one row per municipality), places, totals, counts per cell (hotspots), cameras
    hotspot_cache.invalidate()
    cache.clear()
    with django_assert_num_queries(10):
        client.get(url).json()
    # the view: the same first five, data version, counts per cell (r9), the points
    with django_assert_num_queries(8):
        small = client.get(view_url, {"zoom": 16}).json()
    today = timezone.localdate()
    names = ["Vita fläcken", "Komarken", "Kode busstation", "Munkegärdeskolan", "Rollsbo"]
    for i in range(60):
        make_incident("ordningsstorning", at(today - dt.timedelta(days=1 + i % 40), 22), place=names[i % 5])
    hotspot_cache.invalidate()
    cache.clear()
    with django_assert_num_queries(10):
        client.get(url).json()
    with django_assert_num_queries(8):
        big = client.get(view_url, {"zoom": 16}).json()
    assert big["mode"] == small["mode"] == "points"
    assert len(big["points"]["rows"]) == len(small["points"]["rows"]) + 60


def test_the_table_and_meeting_pages_have_a_constant_number_of_queries(personas, login, world, make_incident):
    client = login(personas["partner"])
    urls = [
        reverse("situation:table"),
        reverse("situation:meeting_detail", args=[world["meeting"].pk]),
        reverse("situation:action_list") + "?visa=alla",
        reverse("situation:focus_area_list"),
        reverse("situation:meeting_list"),
    ]

    def count_queries() -> list[int]:
        counts = []
        for url in urls:
            hotspot_cache.invalidate()
            cache.clear()  # cold: the table's summary and the counts per cell are computed
            Meeting.objects.update(figures=None)  # and the meeting's figures
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    before = count_queries()
    today = timezone.localdate()
    for i in range(30):
        make_incident(
            "brand", at(today - dt.timedelta(days=2 + i), 1), place=["Rollsbo", "Skarpe Nord"][i % 2]
        )
        kungalv = world["meeting"].municipality
        Action.objects.create(
            municipality=kungalv,
            kind="other",
            title=f"Åtgärd {i}",
            focus_area=world["area"],
            meeting=world["meeting"],
        )
        FocusArea.objects.create(
            municipality=kungalv,
            place=Place.objects.get(name="Rollsbo"),
            problem=f"Problem {i}",
            start=today,
            weeks=2,
            meeting=Meeting.objects.create(municipality=kungalv, date=today, kind="lst_weekly"),
        )
    assert count_queries() == before
    # the table: + the user's municipalities and the readable ones for the "Alla mina kommuner" choice
    # the meeting cold: + computing and storing its figures (a write with its audit row)
    assert before[0] <= 16 and before[1] <= 28
    # warm (figures stored, summary cached): the meeting page reads its figures instead of computing them
    client.get(urls[1])
    with CaptureQueriesContext(connection) as warm:
        assert client.get(urls[1]).status_code == 200
    assert len(warm) <= 14 < before[1]


def test_an_invalid_filter_is_a_400_with_swedish_errors(personas, login, world):
    response = login(personas["reader"]).get(
        reverse("situation:map_data"), {"start": "2024-05-10", "end": "2024-05-01"}
    )
    assert response.status_code == 400
    assert "Slutdatum ligger före startdatum" in str(response.json())


def test_filters_narrow_the_map_data_by_category_and_source(personas, login, world):
    client = login(personas["reader"])
    category = Category.objects.get(slug="skadegorelse").pk
    client = login(personas["coordinator"])  # single incidents: a role that may see them
    data = client.get(reverse("situation:map_view"), {"category": category}).json()
    assert [r[0] for r in data["points"]["rows"]] == [world["foreign"].pk]
    source = personas["partner"].organisation.pk
    data = client.get(reverse("situation:map_view"), {"source": source}).json()
    assert [r[0] for r in data["points"]["rows"]] == [world["own"].pk]


def test_csv_export_has_a_row_per_incident_and_defuses_formulas(personas, login, world):
    response = login(personas["partner"]).get(reverse("situation:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["id", "kommun", "kategori", "inträffade_från"]
    assert {r[1] for r in rows[1:]} == {"Kungälv"}
    assert len(rows) == 3
    descriptions = {r[0]: r[-1] for r in rows[1:]}
    assert descriptions[str(world["foreign"].pk)] == "'=SUM(A1) klotter"


def test_geojson_export_gives_null_geometry_to_incidents_without_location(personas, login, world):
    Incident.objects.create(
        municipality=world["own"].municipality,
        category=Category.objects.get(slug="ovrigt"),
        occurred_from=timezone.now(),
        location_precision=Incident.Precision.COUNTY,
        origin="polisen",
    )
    data = login(personas["partner"]).get(reverse("situation:export_geojson")).json()
    geometries = [f["geometry"] for f in data["features"]]
    assert geometries.count(None) == 1 and len(geometries) == 3


def test_the_brief_downloads_as_pdf_and_docx(personas, login, world):
    client = login(personas["partner"])
    pdf = client.get(reverse("situation:meeting_brief_pdf", args=[world["meeting"].pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("situation:meeting_brief_docx", args=[world["meeting"].pk]))
    assert docx.content.startswith(b"PK")


def test_the_action_page_shows_the_effect_check(personas, login, world):
    page = login(personas["reader"]).get(reverse("situation:action_detail", args=[world["action"].pk]))
    assert "Effekt" in page.content.decode()
    assert page.context["effect"] is None or "går inte att säga" in page.context["effect"].text.lower()


PNR = "19121212\u20131212"  # Skatteverket's test personnummer, with the en dash Word puts in


def test_a_focus_area_problem_with_personal_data_is_redacted_and_the_writer_told(personas, login, world):
    response = login(personas["partner"]).post(
        reverse("situation:focus_area_create"),
        {
            "place": Place.objects.get(name="Kode busstation").pk,
            "problem": f"Häng, anmälare {PNR}",
            "start": "2024-05-21",
            "weeks": "4",
        },
        follow=True,
    )
    area = FocusArea.objects.get(place__name="Kode busstation")
    assert area.problem == "Häng, anmälare [borttaget: personnummer]"
    page = response.content.decode()
    assert "Vi tog bort 1 personnummer ur problembeskrivningen" in page
    assert PNR not in page


def test_an_action_title_and_description_with_personal_data_are_redacted_and_the_writer_told(
    personas, login, world
):
    response = login(personas["partner"]).post(
        reverse("situation:action_edit", args=[world["action"].pk]),
        {
            "title": "Väktare, ring 070\u2013123 45 67",
            "kind": "guards",
            "status": "planned",
            "description": "Ägare till ABC 123 kontaktas.",
        },
        follow=True,
    )
    world["action"].refresh_from_db()
    assert world["action"].title == "Väktare, ring [borttaget: telefonnummer]"
    assert world["action"].description == "Ägare till [borttaget: registreringsnummer] kontaktas."
    assert "ur rubriken och beskrivningen" in response.content.decode()


def test_camera_notes_with_personal_data_are_redacted_and_the_coordinator_told(personas, login, world):
    response = login(personas["coordinator"]).post(
        reverse("situation:camera_edit", args=[world["camera"].pk]),
        {
            "name": "Kamera Vita fläcken",
            "lat": "57.8745",
            "lon": "11.956",
            "purpose": "Trygghet",
            "permit_status": "supervision",
            "notes": "Kontakt: handlaggare@imy.se",
        },
        follow=True,
    )
    world["camera"].refresh_from_db()
    assert world["camera"].notes == "Kontakt: [borttaget: e-postadress]"
    assert "Vi tog bort 1 e-postadress ur anteckningarna" in response.content.decode()


@pytest.mark.parametrize("name", ["meeting_detail", "focus_area_detail", "action_detail"])
def test_joint_records_say_which_organisation_created_them(personas, login, world, name):
    key = {"meeting_detail": "meeting", "focus_area_detail": "area", "action_detail": "action"}[name]
    record = world[key]
    record.created_by = personas["partner"]
    record.created_by_organisation = personas["partner"].organisation
    record.save(update_fields=["created_by", "created_by_organisation"])
    page = login(personas["reader"]).get(reverse(f"situation:{name}", args=[record.pk])).content.decode()
    assert f"Skapad av Polisen {record.created_at:%Y-%m-%d}." in page
    assert "Alla samverkansparter som skriver i lägesbilden kan ändra den" in page


def test_a_partner_edits_a_meeting_another_organisation_created(personas, login, world):
    housing = world["foreign"].source_organisation
    world["meeting"].created_by_organisation = housing
    world["meeting"].save(update_fields=["created_by_organisation"])
    response = login(personas["partner"]).post(
        reverse("situation:meeting_edit", args=[world["meeting"].pk]),
        {"date": world["meeting"].date.isoformat(), "kind": "lst_weekly", "notes": "Ändrat av polisen."},
    )
    assert response.status_code == 302
    world["meeting"].refresh_from_db()
    assert world["meeting"].notes == "Ändrat av polisen."
    assert world["meeting"].created_by_organisation == housing


def test_the_map_page_gives_the_script_its_texts_with_singular_and_plural(personas, login, world):
    page = login(personas["reader"]).get(reverse("situation:map")).content.decode()
    assert 'data-msg-on-map-one="{n} händelse visas på kartan"' in page
    assert 'data-msg-on-map-other="{n} händelser visas på kartan"' in page
    assert 'data-msg-layer-incidents="Händelser"' in page
    script = (settings.BASE_DIR / "trygg" / "static" / "situation" / "map.js").read_text(encoding="utf-8")
    assert "händelser visas" not in script and "Kategori" not in script


def test_the_legend_and_the_table_use_the_swedish_class_labels(personas, login, world, make_incident):
    today = timezone.localdate()
    for i in range(25):
        make_incident("ordningsstorning", at(today - dt.timedelta(days=1 + i), 22), place="Vita fläcken")
    client = login(personas["partner"])
    response = client.get(reverse("situation:map"))
    legend = response.content.decode()
    for label in ("Fler händelser än vanligt (mycket säkert)", "Ingen säker skillnad"):
        assert label in legend
    for jargon in ("Hot spot", "Cold spot", "Gi*", "Benjamini", "H3 ", "grannskap k"):
        assert jargon not in legend
    # 27 incidents cannot make an empty neighbourhood a cold spot: the legend leaves those classes out
    # and says how big the compared areas are, in words.
    assert "Färre än vanligt" not in legend
    assert "Kartan jämför områden på ungefär" in legend
    assert reverse("situation:method") in legend  # "Så räknar vi", one click away
    hotspot_cache.invalidate()
    table = client.get(reverse("situation:table"))
    row = table.context["hot_rows"][0]
    assert row.label == "Fler händelser än vanligt (mycket säkert)"
    html = table.content.decode()
    assert "har fler händelser än vanligt" in html
    # The area is named (here by the place inside it), never by its H3 id.
    assert row.name and row.name in html and row.cell not in html


def test_a_focus_area_chosen_for_high_counts_is_saved_from_the_form_and_warned_about(
    personas, login, world, make_incident
):
    from trygg.situation.effect import REGRESSION_TO_THE_MEAN

    area = world["area"]
    client = login(personas["partner"])
    form = client.get(reverse("situation:focus_area_edit", args=[area.pk])).content.decode()
    assert "valdes för att händelserna var många" in form.lower()
    response = client.post(
        reverse("situation:focus_area_edit", args=[area.pk]),
        {
            "meeting": area.meeting_id,
            "place": area.place_id,
            "problem": area.problem,
            "start": area.start.isoformat(),
            "weeks": "4",
            "chosen_for_high_counts": "on",
        },
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.chosen_for_high_counts
    # Enough events before and after for an estimate, so the warning is part of the effect text.
    start = timezone.localdate() - dt.timedelta(days=40)
    Action.objects.filter(pk=world["action"].pk).update(start_date=start)
    for i in range(12):
        make_incident("ungdomshang", at(start - dt.timedelta(days=2), 8 + i % 10), place=area.place)
        make_incident("ungdomshang", at(start - dt.timedelta(days=2), 8 + i % 10), lat=57.95, lon=11.85)
    for i in range(3):
        make_incident("ungdomshang", at(start + dt.timedelta(days=2), 9 + i), place=area.place)
    for i in range(12):
        make_incident("ungdomshang", at(start + dt.timedelta(days=2), 8 + i % 10), lat=57.95, lon=11.85)
    page = client.get(reverse("situation:action_detail", args=[world["action"].pk])).content.decode()
    assert REGRESSION_TO_THE_MEAN in html.unescape(page)


def test_an_incident_point_with_a_decimal_comma_is_accepted(personas, login, world):
    client = login(personas["coordinator"])
    response = client.post(
        reverse("situation:incident_create"), incident_post(place="", lat="57,8815", lon="11,9640")
    )
    assert response.status_code == 302
    incident = Incident.objects.latest("pk")
    assert (incident.lat, incident.lon) == (57.8815, 11.964)
