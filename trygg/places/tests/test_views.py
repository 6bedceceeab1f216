"""Every places view for every persona, the wrong HTTP method, and the form's boundary check."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.demo import places as demo_places
from trygg.lib.geo import wgs84_to_sweref99tm
from trygg.places.loading import load_municipality
from trygg.places.models import Place

pytestmark = pytest.mark.django_db


def load_demo_places(code: str = "1482"):
    """The municipality (boundary loaded) with its demo districts and places."""
    municipality = load_municipality(code)
    demo_places.load(municipality, acting_user=None)
    return municipality


READERS = ["admin", "coordinator", "unit_editor", "partner", "reader"]
MANAGERS = ["admin", "coordinator"]


@pytest.fixture
def kungalv(db):
    return load_demo_places("1482")


def form_data(**extra):
    return {
        "name": "Testtorget",
        "kind": "square",
        "district": "",
        "aliases": "",
        "description": "",
        "lat": "57.8720",
        "lon": "11.9770",
        "active": "on",
        **extra,
    }


@pytest.mark.parametrize("who", READERS)
def test_every_role_can_read_the_places(personas, login, kungalv, who):
    client = login(personas[who])
    page = client.get(reverse("places:place_list"))
    assert page.status_code == 200 and "Vita fläcken" in page.content.decode()
    data = client.get(reverse("places:places_geojson")).json()
    kinds = [f["properties"]["kind"] for f in data["features"]]
    assert kinds.count("municipality") == 1 and kinds.count("place") == Place.objects.count()


@pytest.mark.parametrize("who", ["outsider"])
def test_the_outsider_is_refused(personas, login, kungalv, who):
    client = login(personas[who])
    place = Place.objects.first()
    for url in [
        reverse("places:place_list"),
        reverse("places:places_geojson"),
        reverse("places:place_create"),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("places:place_create"), form_data()).status_code == 403
    # an object of a municipality where the user has no role does not exist for them
    assert client.get(reverse("places:place_edit", args=[place.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, kungalv):
    response = client.get(reverse("places:place_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("who", READERS)
def test_only_coordinators_and_admins_create_places(personas, login, kungalv, who):
    client = login(personas[who])
    response = client.post(reverse("places:place_create"), form_data())
    if who in MANAGERS:
        assert response.status_code == 302
        assert Place.objects.get(name="Testtorget").district.name == "Kungälv tätort"
    else:
        assert response.status_code == 403
        assert not Place.objects.filter(name="Testtorget").exists()


def test_a_place_outside_the_municipality_is_refused_with_the_reason(personas, login, kungalv):
    client = login(personas["coordinator"])
    response = client.post(reverse("places:place_create"), form_data(lat="57.7089", lon="11.9746"))
    assert response.status_code == 200
    assert "ligger utanför Kungälvs kommun" in response.content.decode()
    assert not Place.objects.filter(name="Testtorget").exists()


def test_sweref_coordinates_are_converted(personas, login, kungalv):
    n, e = wgs84_to_sweref99tm(57.8720, 11.9770)
    client = login(personas["admin"])
    response = client.post(reverse("places:place_create"), form_data(lat="", lon="", sweref_n=n, sweref_e=e))
    assert response.status_code == 302
    place = Place.objects.get(name="Testtorget")
    assert place.lat == pytest.approx(57.8720, abs=1e-6) and place.lon == pytest.approx(11.9770, abs=1e-6)


def test_a_place_without_any_coordinates_is_refused(personas, login, kungalv):
    client = login(personas["admin"])
    response = client.post(reverse("places:place_create"), form_data(lat="", lon=""))
    assert "Ange platsens läge" in response.content.decode()


def test_editing_a_place_moves_its_cells(personas, login, kungalv):
    client = login(personas["coordinator"])
    place = Place.objects.get(name="Rollsbo")
    old_cell = place.h3_r9
    response = client.post(
        reverse("places:place_edit", args=[place.pk]),
        form_data(name="Rollsbo", kind="area", lat="57.8950", lon="11.9300"),
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.h3_r9 != old_cell and place.lat == 57.895


@pytest.mark.parametrize("name", ["places:place_list", "places:places_geojson"])
def test_read_views_refuse_post(personas, login, kungalv, name):
    assert login(personas["admin"]).post(reverse(name)).status_code == 405


def test_form_views_refuse_put_and_delete(personas, login, kungalv):
    client = login(personas["admin"])
    assert client.put(reverse("places:place_create")).status_code == 405
    assert client.delete(reverse("places:place_edit", args=[Place.objects.first().pk])).status_code == 405


def test_the_place_list_has_a_constant_number_of_queries(
    personas, login, kungalv, django_assert_max_num_queries
):
    client = login(personas["reader"])
    client.get(reverse("places:place_list"))
    # session, user, roles, the user's municipalities (header switch), places, districts, messages
    with django_assert_max_num_queries(7):
        client.get(reverse("places:place_list"))


def test_a_place_description_with_personal_data_is_redacted_and_the_coordinator_told(
    personas, login, kungalv
):
    client = login(personas["coordinator"])
    response = client.post(
        reverse("places:place_create"),
        form_data(description="Fastighetsvärd nås på 0303\u201321 00 00 eller vard@exempel.se."),
        follow=True,
    )
    place = Place.objects.get(name="Testtorget")
    assert (
        place.description
        == "Fastighetsvärd nås på [borttaget: telefonnummer] eller [borttaget: e-postadress]."
    )
    assert "Vi tog bort 1 telefonnummer och 1 e-postadress ur beskrivningen" in response.content.decode()


def test_a_place_text_that_no_longer_fits_after_redaction_is_refused(personas, login, kungalv):
    name = "x" * 138 + " 070-1234567"  # 150 characters, the most a name may have
    response = login(personas["coordinator"]).post(reverse("places:place_create"), form_data(name=name))
    assert response.status_code == 200
    assert "Namn får vara högst 150 tecken" in response.content.decode()
    assert not Place.objects.filter(name__startswith="xxx").exists()


def test_a_new_place_belongs_to_the_current_municipality_and_its_boundary(login, kungalv):
    from trygg.accounts.models import Role
    from trygg.conftest import make_user

    ale = load_demo_places("1440")
    ale_coordinator = make_user("ale-samordnare", Role.COORDINATOR, municipality=ale)
    client = login(ale_coordinator)
    refused = client.post(reverse("places:place_create"), form_data())  # a point in Kungälv
    assert refused.status_code == 200 and "ligger utanför Ale kommun" in refused.content.decode()
    response = client.post(reverse("places:place_create"), form_data(lat="57.8960", lon="12.0680"))
    assert response.status_code == 302
    assert Place.objects.get(name="Testtorget").municipality == ale
    listing = client.get(reverse("places:place_list")).content.decode()
    assert "Ale torg" in listing and "Vita fläcken" not in listing
    features = client.get(reverse("places:places_geojson")).json()["features"]
    assert {f["properties"]["name"] for f in features if f["properties"]["kind"] == "municipality"} == {"Ale"}


def test_coordinates_with_a_decimal_comma_are_accepted(personas, login, kungalv):
    client = login(personas["coordinator"])
    response = client.post(reverse("places:place_create"), form_data(lat="57,8720", lon="11,9770"))
    assert response.status_code == 302
    place = Place.objects.get(name="Testtorget")
    assert (place.lat, place.lon) == (57.872, 11.977)
