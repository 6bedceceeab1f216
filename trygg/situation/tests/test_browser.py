"""A partner reports an incident by choosing a place, finds it in the table and on the map; an outsider is
refused. The map shows the boundary and layers even though no tile can load. axe-core finds no serious or
critical WCAG violation on the map page or the incident form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trygg.conftest import assert_accessible, log_in
from trygg.situation.models import Incident

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def no_tiles(settings, live_server):
    # Tiles from a URL that answers 404: the normal case here (no internet) made deterministic.
    settings.TRYGG_TILE_URL = live_server.url + "/inga-kartplattor/{z}/{x}/{y}.png"


def test_partner_reports_at_a_place_and_sees_it_in_table_and_map(
    live_server, page, kungalv, personas, no_tiles
):
    log_in(page, live_server.url, "polis", "pw-polis", "/lagesbild/handelser/ny/")
    page.get_by_role("heading", name="Rapportera händelse").wait_for()
    page.locator("#pick-map[data-loaded='true']").wait_for()
    assert page.locator("#pick-map .leaflet-overlay-pane path").count() >= 1  # the municipality boundary
    assert_accessible(page)

    page.get_by_label("Kategori").select_option(label="Ungdomshäng")
    page.get_by_label("Plats (frivilligt)", exact=True).select_option(label="Komarken")
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
    # The view's incidents arrive in a second request after the layers: wait for the status to say so.
    expect(page.locator("#map-status")).to_contain_text("1 händelse visas på kartan")
    page.locator("#situation-map").get_by_role("checkbox", name="Händelser").wait_for()
    assert_accessible(page)


def test_an_outsider_cannot_reach_the_lagesbild(live_server, page, kungalv, personas):
    log_in(page, live_server.url, "utomstaende", "pw-utomstaende", "/")
    for path in ("/lagesbild/", "/lagesbild/tabell/", "/lagesbild/karta.json", "/lagesbild/handelser/ny/"):
        response = page.goto(live_server.url + path)
        assert response.status == 403, path
    assert not Incident.objects.exists()


def test_the_map_goes_from_cells_to_points_on_a_phone_and_the_table_follows(
    live_server, browser, kungalv, personas, make_incident, no_tiles
):
    """390 px wide: far out the map shows counts per cell, panning and zooming in turns them into single
    incidents, and the table link carries the view, so the table lists what the map shows."""
    import datetime as dt

    from django.utils import timezone

    from .conftest import at

    today = timezone.localdate()
    for i in range(220):  # more than FEW_POINTS: cells until zoomed in
        make_incident("skadegorelse", at(today - dt.timedelta(days=1 + i % 60), 22), place="Vita fläcken")
    context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "polis", "pw-polis", "/lagesbild/")
    el = page.locator("#situation-map")
    page.locator("#situation-map[data-view-loaded='true']").wait_for()
    assert el.get_attribute("data-mode") == "cells"
    assert page.locator("#situation-map .leaflet-overlay-pane path").count() >= 2
    assert "räknade per område" in page.locator("#map-status").inner_text()
    link = page.locator("a[data-follows-map]").first
    first_href = link.get_attribute("href")
    assert "bbox=" in first_href

    el.scroll_into_view_if_needed()
    box = el.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 60, cy + 40, steps=6)
    page.mouse.up()
    page.wait_for_function(
        "(before) => { const a = document.querySelector('a[data-follows-map]'); "
        "return a.getAttribute('href') !== before; }",
        arg=first_href,
    )
    for _ in range(6):
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(400)
    page.wait_for_function(
        "() => { const m = document.getElementById('situation-map'); "
        "return m.dataset.viewLoaded === 'true' && m.dataset.mode === 'points'; }"
    )
    in_view = int(el.get_attribute("data-in-view"))
    href = link.get_attribute("href")
    assert "zoom=1" in href and href != first_href
    assert_accessible(page)

    link.click()
    page.get_by_text("Tabellen följer kartans utsnitt").wait_for()
    heading_text = page.locator("main").inner_text()
    expected = f"{in_view} händelse " if in_view == 1 else f"{in_view} händelser "
    assert expected in heading_text
    assert page.locator("input[name=bbox]").get_attribute("value")
    context.close()
