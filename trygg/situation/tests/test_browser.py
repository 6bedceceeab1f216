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
    """390 px wide: far out the map shows counts per cell; the partner drags the busiest cell to the middle
    and zooms in (pan and zoom, as a person does) until the cells turn into single incidents; the table link
    carries the view, so the table lists exactly what the map shows and leaves out the rest."""
    import datetime as dt

    from django.utils import timezone

    from .conftest import at

    today = timezone.localdate()
    for i in range(220):  # more than FEW_POINTS: cells until zoomed in
        make_incident("skadegorelse", at(today - dt.timedelta(days=1 + i % 60), 22), place="Vita fläcken")
    for i in range(30):  # far west, out of the zoomed-in view
        make_incident("brand", at(today - dt.timedelta(days=1 + i), 3), place="Marstrands hamn")
    context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "polis", "pw-polis", "/lagesbild/")
    el = page.locator("#situation-map")
    link = page.locator("a[data-follows-map]").first

    def view_loaded(after_href: str | None = None) -> None:
        page.wait_for_function(
            "(before) => { const m = document.getElementById('situation-map'); "
            "const a = document.querySelector('a[data-follows-map]'); "
            "return m.dataset.viewLoaded === 'true' && (before === null || a.getAttribute('href') !== before); }",
            arg=after_href,
        )

    view_loaded()
    assert el.get_attribute("data-mode") == "cells"
    assert int(el.get_attribute("data-in-view")) == 250  # the whole municipality, counted per cell
    assert "räknade per område" in page.locator("#map-status").inner_text()
    first_href = link.get_attribute("href")
    assert "bbox=" in first_href and "zoom=" in first_href
    el.scroll_into_view_if_needed()
    box = el.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    zooms = 0
    while el.get_attribute("data-mode") == "cells":
        assert zooms < 9, "still cells after nine zoom steps"
        # Pan: drag the easternmost cell (Vita fläcken; Marstrand lies west) to the middle of the map, then
        # rest before letting go so that Leaflet adds no inertia.
        cells = page.locator('#situation-map .leaflet-overlay-pane path[stroke="#3d2600"]')
        boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
        cell = max((b for b in boxes if b), key=lambda b: b["x"] + b["width"] / 2)
        start = (cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2)
        href = link.get_attribute("href")
        if abs(start[0] - centre[0]) + abs(start[1] - centre[1]) > 8:
            page.mouse.move(*start)
            page.mouse.down()
            page.mouse.move(*centre, steps=8)
            page.wait_for_timeout(150)
            page.mouse.up()
            view_loaded(href)
            href = link.get_attribute("href")
        # Zoom in around the middle of the map.
        page.locator(".leaflet-control-zoom-in").click()
        view_loaded(href)
        zooms += 1
    assert zooms >= 2  # it took zooming in, not just the first view
    assert el.get_attribute("data-mode") == "points"
    in_view = int(el.get_attribute("data-in-view"))
    assert in_view == 220  # every incident at Vita fläcken as a single point, none of Marstrand's
    assert page.locator('#situation-map .leaflet-overlay-pane path[stroke="#3d2600"]').count() == 220
    href = link.get_attribute("href")
    assert href != first_href
    assert_accessible(page)

    link.click()
    page.get_by_text("Tabellen följer kartans utsnitt").wait_for()
    assert "220 händelser " in page.locator("main").inner_text()
    assert page.locator("input[name=bbox]").get_attribute("value")
    incidents = page.locator("h2#incidents ~ table").inner_text()
    assert "Vita fläcken" in incidents and "Marstrand" not in incidents
    context.close()
