"""Municipalities, districts and places are read-only in the admin, which would bypass do_save_place."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.demo import places as demo_places
from trygg.places.loading import load_municipality
from trygg.places.models import District, Place

pytestmark = pytest.mark.django_db


def load_demo_places(code: str = "1482"):
    """The municipality (boundary loaded) with its demo districts and places."""
    municipality = load_municipality(code)
    demo_places.load(municipality, acting_user=None)
    return municipality


@pytest.mark.parametrize("model", ["municipality", "district", "place"])
def test_places_are_read_only_in_the_admin_with_a_link_to_the_app(personas, login, model):
    municipality = load_demo_places("1482")
    obj = {
        "municipality": municipality,
        "district": District.objects.first(),
        "place": Place.objects.first(),
    }[model]
    client = login(personas["admin"])
    listing = client.get(reverse(f"admin:places_{model}_changelist"))
    assert listing.status_code == 200
    assert f'href="{reverse("places:place_list")}"' in listing.content.decode()
    assert (
        'name="_save"'
        not in client.get(reverse(f"admin:places_{model}_change", args=[obj.pk])).content.decode()
    )
    assert client.get(reverse(f"admin:places_{model}_add")).status_code == 403
    assert (
        client.post(reverse(f"admin:places_{model}_change", args=[obj.pk]), {"name": "Ändrad"}).status_code
        == 403
    )
    assert (
        client.post(reverse(f"admin:places_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code
        == 403
    )
    obj.refresh_from_db()
    assert obj.name != "Ändrad"
