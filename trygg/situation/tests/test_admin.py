"""The admin cannot bypass the lägesbild's actions: joint records, incidents and cameras are read-only there
(with a link to the app), and the taxonomy is saved through do_save_category (redacted and audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.situation.models import Category

READ_ONLY = [("meeting", "meeting"), ("focusarea", "area"), ("action", "action"), ("camerasite", "camera")]


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:situation_{model}_{view}", args=args)


@pytest.mark.parametrize(("model", "key"), [*READ_ONLY, ("incident", "own")])
def test_the_admin_shows_joint_records_incidents_and_cameras_but_cannot_change_them(
    personas, login, world, model, key
):
    client = login(personas["admin"])
    obj = world[key]
    listing = client.get(admin_url(model, "changelist"))
    assert listing.status_code == 200
    assert "Endast läsning här: ändringar görs i Trygg" in listing.content.decode()
    detail = client.get(admin_url(model, "change", obj.pk))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_the_admin_detail_page_links_to_the_app_page_of_the_row(personas, login, world):
    page = login(personas["admin"]).get(admin_url("meeting", "change", world["meeting"].pk)).content.decode()
    assert f'href="{reverse("situation:meeting_detail", args=[world["meeting"].pk])}"' in page


def test_categories_are_read_only_in_the_admin_too(personas, login, world):
    """The shared taxonomy is edited on the lägesbild's category page (do_save_category: redacted,
    audited), by installation administrators only."""
    category = world["category"]
    response = login(personas["admin"]).post(
        admin_url("category", "change", category.pk),
        {
            "name": "Ändrad",
            "slug": "brand",
            "description": "",
            "police_types": "",
            "order": 1,
            "active": "on",
        },
    )
    assert response.status_code == 403
    category.refresh_from_db()
    assert category.name == "Brand"


def test_categories_cannot_be_deleted_in_the_admin(personas, login, world):
    category = world["category"]
    client = login(personas["admin"])
    assert client.post(admin_url("category", "delete", category.pk), {"post": "yes"}).status_code == 403
    assert Category.objects.filter(pk=category.pk).exists()
