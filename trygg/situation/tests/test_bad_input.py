"""Bad values in links and forms get a Swedish message and a 200, 400 or 404, never a server error.

Each case here crashed before (ValueError or OverflowError): ids that are not numbers or do not fit a
64-bit column, dates at the ends of Python's range, and incident time windows. test_fuzz.py sweeps every
URL with junk; these tests pin the answer and its wording.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.places.models import Place
from trygg.situation.models import Action, CameraSite, FocusArea, Incident, Meeting

from .conftest import incident_post

DATE_MESSAGE = "Ange ett datum mellan 1990-01-01 och 2100-12-31."
HUGE_ID = "99999999999999999999"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("name", "param", "what"),
    [
        ("situation:focus_area_create", "mote", "ett möte"),
        ("situation:action_create", "fokusomrade", "ett fokusområde"),
        ("situation:action_create", "mote", "ett möte"),
    ],
)
@pytest.mark.parametrize("value", ["abc", HUGE_ID, "-3", "²", "999999"])
def test_a_prefill_link_to_nothing_shows_the_empty_form_and_says_so(
    personas, login, world, name, param, what, value
):
    response = login(personas["partner"]).get(reverse(name), {param: value})
    assert response.status_code == 200
    assert messages_of(response) == [
        f"Länken pekar på {what} som inte finns ({param}={value[:20]}). Välj i formuläret i stället."
    ]


def test_a_prefill_link_to_an_existing_meeting_still_prefills(personas, login, world):
    response = login(personas["partner"]).get(
        reverse("situation:focus_area_create"), {"mote": world["meeting"].pk}
    )
    assert response.context["form"].initial["meeting"] == world["meeting"]
    assert messages_of(response) == []


@pytest.mark.parametrize("query", [{"start": "0001-01-01", "end": "0001-01-02"}, {"start": "9999-12-01"}])
@pytest.mark.parametrize("name", ["situation:map_data", "situation:export_csv", "situation:export_geojson"])
def test_dates_outside_1990_to_2100_are_a_400_naming_the_range(personas, login, world, name, query):
    response = login(personas["partner"]).get(reverse(name), query)
    assert response.status_code == 400
    assert DATE_MESSAGE in response.content.decode()


@pytest.mark.parametrize("query", [{"start": "0001-01-01", "end": "0001-01-02"}, {"end": "9999-12-31"}])
@pytest.mark.parametrize("name", ["situation:map", "situation:table"])
def test_the_map_and_table_pages_show_the_date_error_on_the_filter(personas, login, world, name, query):
    response = login(personas["partner"]).get(reverse(name), query)
    assert response.status_code == 200
    assert DATE_MESSAGE in response.content.decode()


@pytest.mark.parametrize("param", ["category", "source"])
@pytest.mark.parametrize("name", ["situation:map_data", "situation:export_csv", "situation:export_geojson"])
def test_an_id_too_big_for_the_database_is_a_400_not_an_overflow(personas, login, world, name, param):
    response = login(personas["partner"]).get(reverse(name), {param: HUGE_ID})
    assert response.status_code == 400
    assert f"\u201c{HUGE_ID}\u201d är inte ett giltigt värde." in response.content.decode()


def test_an_invalid_export_filter_exports_nothing_instead_of_the_default_period(personas, login, world):
    response = login(personas["partner"]).get(
        reverse("situation:export_csv"), {"start": "2024-05-10", "end": "2024-05-01"}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Slutdatum ligger före startdatum." in response.content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"occurred_from": "0001-01-01T00:30"}, DATE_MESSAGE),
        ({"occurred_from": "1989-12-31T23:59"}, DATE_MESSAGE),
        ({"occurred_to": "9999-12-31T23:59"}, DATE_MESSAGE),
        (
            {"occurred_from": "2024-05-01T22:00", "occurred_to": "2024-05-16T22:01"},
            "Ett tidsfönster får vara högst 14 dagar. Ange det kortaste fönster du vet.",
        ),
        (
            {"occurred_from": "2024-05-01T22:00", "occurred_to": "2024-05-01T21:00"},
            "Sluttiden ligger före starttiden.",
        ),
        ({"category": HUGE_ID}, "Välj ett giltigt alternativ."),
        ({"place": HUGE_ID}, "Välj ett giltigt alternativ."),
    ],
)
def test_incident_times_ids_and_windows_are_checked_with_a_swedish_message(
    personas, login, world, extra, message
):
    response = login(personas["partner"]).post(reverse("situation:incident_create"), incident_post(**extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Incident.objects.filter(category__slug="narkotikaforsaljning").exists()


def test_a_fourteen_day_window_is_accepted(personas, login, world):
    response = login(personas["partner"]).post(
        reverse("situation:incident_create"),
        incident_post(occurred_from="2024-05-01T22:00", occurred_to="2024-05-15T22:00"),
    )
    assert response.status_code == 302
    assert Incident.objects.filter(category__slug="narkotikaforsaljning").count() == 1


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"])
def test_every_date_of_meetings_focus_areas_actions_and_cameras_is_bounded(personas, login, world, day):
    client = login(personas["coordinator"])
    posts = {
        "situation:meeting_create": ({"date": day, "kind": "lst_weekly"}, Meeting),
        "situation:focus_area_create": (
            {
                "place": Place.objects.get(name="Kode busstation").pk,
                "problem": "Häng",
                "start": day,
                "weeks": 4,
            },
            FocusArea,
        ),
        "situation:action_create": (
            {"title": "Ny", "kind": "other", "status": "planned", "due_date": day},
            Action,
        ),
        "situation:camera_create": (
            {
                "name": "Ny kamera",
                "place": Place.objects.get(name="Kode busstation").pk,
                "purpose": "Trygghet",
                "permit_status": "granted",
                "imy_decision_date": day,
            },
            CameraSite,
        ),
    }
    for name, (data, model) in posts.items():
        before = model.objects.count()
        response = client.post(reverse(name), data)
        assert response.status_code == 200, name
        assert DATE_MESSAGE in response.content.decode(), name
        assert model.objects.count() == before, name


def test_a_meeting_with_an_organisation_id_too_big_is_refused(personas, login, world):
    response = login(personas["partner"]).post(
        reverse("situation:meeting_create"),
        {"date": "2024-05-21", "kind": "lst_weekly", "organisations": HUGE_ID},
    )
    assert response.status_code == 200
    assert f"\u201c{HUGE_ID}\u201d är inte ett giltigt värde." in response.content.decode()


@pytest.mark.parametrize("pk", ["0", HUGE_ID])
def test_a_url_id_that_is_out_of_range_is_a_404(personas, login, world, pk):
    response = login(personas["partner"]).get(f"/lagesbild/handelser/{pk}/")
    assert response.status_code == 404
