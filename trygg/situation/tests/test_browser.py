"""A partner reports an incident by choosing a place, finds it in the table and on the map; an outsider is
refused. The map shows the boundary and layers even though no tile can load. axe-core finds no serious or
critical WCAG violation on the map page or the incident form."""

from __future__ import annotations

import pytest

from trygg.conftest import assert_accessible
from trygg.situation.models import Incident

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def no_tiles(settings, live_server):
    # Tiles from a URL that answers 404: the normal case here (no internet) made deterministic.
    settings.TRYGG_TILE_URL = live_server.url + "/inga-kartplattor/{z}/{x}/{y}.png"


def log_in(page, base_url, username, password, next_url):
    page.goto(f"{base_url}/logga-in/?next={next_url}")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_partner_reports_at_a_place_and_sees_it_in_table_and_map(
    live_server, page, kungalv, personas, no_tiles
):
    log_in(page, live_server.url, "polis", "pw-polis", "/lagesbild/handelser/ny/")
    page.get_by_role("heading", name="Rapportera händelse").wait_for()
    page.locator("#pick-map[data-loaded='true']").wait_for()
    assert page.locator("#pick-map .leaflet-overlay-pane path").count() >= 1  # the municipality boundary
    assert_accessible(page)

    page.get_by_label("Kategori").select_option(label="Ungdomshäng")
    page.get_by_label("Plats").select_option(label="Komarken")
    page.get_by_label("Beskrivning").fill("Grupp ungdomar vid porten, boende ringde från 070-123 45 67.")
    page.get_by_role("button", name="Spara händelsen").click()
    page.get_by_text("Tack! Händelsen är rapporterad.").wait_for()
    page.get_by_text("Vi tog bort 1 telefonnummer ur beskrivningen").wait_for()
    incident = Incident.objects.get()
    assert incident.place.name == "Komarken" and incident.reported_by.username == "polis"
    assert "070" not in incident.description

    page.get_by_role("link", name="Tabell", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Grupp ungdomar vid porten")
    assert row.count() == 1 and "Komarken" in row.inner_text() and "Ungdomshäng" in row.inner_text()

    page.get_by_role("link", name="Karta", exact=True).click()
    page.locator("#situation-map[data-loaded='true']").wait_for()
    overlay = page.locator("#situation-map .leaflet-overlay-pane path")
    assert overlay.count() >= 3  # boundary, a hotspot cell, the incident marker, the places
    assert "1 händelse visas på kartan" in page.locator("#map-status").inner_text()
    page.locator("#situation-map").get_by_role("checkbox", name="Händelser").wait_for()
    assert_accessible(page)


def test_an_outsider_cannot_reach_the_lagesbild(live_server, page, kungalv, personas):
    log_in(page, live_server.url, "utomstaende", "pw-utomstaende", "/")
    for path in ("/lagesbild/", "/lagesbild/tabell/", "/lagesbild/karta.json", "/lagesbild/handelser/ny/"):
        response = page.goto(live_server.url + path)
        assert response.status == 403, path
    assert not Incident.objects.exists()
