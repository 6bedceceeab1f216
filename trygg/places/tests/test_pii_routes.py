"""A valid-checksum personnummer sent through every route that writes a place's declared free-text fields (the
web form, new and edited; the read-only admin) never reaches the database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.accounts.models import AuditEvent
from trygg.demo import places as demo_places
from trygg.places.models import Place

PNR = "19811218-9876"
pytestmark = pytest.mark.django_db


@pytest.fixture
def kungalv(municipality):
    demo_places.load(municipality, acting_user=None)
    return municipality


def form(**extra):
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


def assert_nowhere():
    for field in Place.FREE_TEXT_FIELDS:
        assert not Place.objects.filter(**{f"{field}__contains": "9876"}).exists(), field
    assert not AuditEvent.objects.filter(changes__icontains="9876").exists()


@pytest.mark.parametrize("field", sorted(Place.FREE_TEXT_FIELDS))
@pytest.mark.parametrize("route", ["create", "edit"])
def test_a_personnummer_in_the_place_form_never_reaches_the_database(personas, login, kungalv, field, route):
    client = login(personas["coordinator"])
    url = (
        reverse("places:place_create")
        if route == "create"
        else reverse("places:place_edit", args=[Place.objects.get(name="Rollsbo").pk])
    )
    data = form(**({"name": "Rollsbo"} if route == "edit" else {}))
    data[field] = f"{data[field]} {PNR}".strip()
    response = client.post(url, data)
    assert response.status_code == 302
    assert Place.objects.filter(**{f"{field}__contains": "[borttaget: personnummer]"}).exists()
    assert_nowhere()


def test_the_admin_cannot_write_a_personnummer_into_a_place(personas, login, kungalv):
    place = Place.objects.first()
    client = login(personas["admin"])
    data = form(name=PNR, description=PNR, aliases=PNR)
    assert client.post(reverse("admin:places_place_change", args=[place.pk]), data).status_code == 403
    assert client.post(reverse("admin:places_place_add"), data).status_code == 403
    assert_nowhere()
