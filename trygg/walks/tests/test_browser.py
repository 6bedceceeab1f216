"""On a phone-sized viewport (390×844): a coordinator plans a walk, records a finding at a place with a photo,
assigns a measure, finds the finding in the lägesbild's table, opens the protocol; the public protocol page shows the measure's status without login.
axe-core finds no serious or critical WCAG violation on the finding form and the public page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.conftest import assert_accessible
from trygg.conftest import log_in as shared_log_in
from trygg.situation.models import Incident
from trygg.walks.models import Finding, Measure, Photo, Walk

from .conftest import jpeg_with_gps

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def no_tiles(settings, live_server):
    settings.TRYGG_TILE_URL = live_server.url + "/inga-kartplattor/{z}/{x}/{y}.png"


def log_in(page, base_url, username, next_url):
    shared_log_in(page, base_url, username, f"pw-{username}", next_url)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.querySelector('main').scrollWidth") <= PHONE["width"]


def test_a_walk_on_a_phone(live_server, page, browser, kungalv, personas, unit, no_tiles, tmp_path):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "samordnare", "/vandringar/")
    page.get_by_role("link", name="Planera trygghetsvandring").click()
    page.get_by_label("Rubrik").fill("Kvällsvandring Komarken")
    page.get_by_label("Plats").select_option(label="Komarken")
    page.get_by_label("Datum").fill("2023-10-19")
    page.get_by_label("Starttid").fill("19:30")
    page.get_by_label("Säkerhetsenheten").check()
    page.get_by_label("Publicera protokollet").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Vandringen är sparad.").wait_for()
    walk = Walk.objects.get(title="Kvällsvandring Komarken")

    page.get_by_role("link", name="Registrera fynd").click()
    page.get_by_role("heading", name="Registrera fynd").wait_for()
    assert fits_the_screen(page)
    assert_accessible(page)
    page.locator("#id_category").get_by_label("Belysning").check()
    page.get_by_role("combobox", name="Plats").select_option(label="Komarken")
    page.locator("#id_feeling").get_by_label("2").check()
    page.get_by_text("Bedöm platsen").click()
    page.locator("#id_lighting").get_by_label("1").check()
    page.get_by_label("Beskrivning").fill("Trasig lampa vid porten, boende nås på 070-123 45 67.")
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.get_by_label("Foto (valfritt)").set_input_files(str(photo))
    page.get_by_role("button", name="Spara fyndet").click()
    page.get_by_text("Fyndet är sparat.").wait_for()
    finding = Finding.objects.get(walk=walk)
    assert (finding.category, finding.feeling, finding.lighting) == ("lighting", 2, 1)
    assert "070" not in finding.description and finding.incident is not None
    assert Photo.objects.filter(finding=finding).count() == 1
    page.locator(".photos img").wait_for()
    assert page.locator(".photos img").evaluate("img => img.naturalWidth") == 64

    page.get_by_role("link", name="Tilldela åtgärd").click()
    page.get_by_label("Åtgärd").fill("Byt lampan vid porten")
    page.get_by_label("Ansvarig enhet").select_option(label="Säkerhetsenheten")
    page.get_by_label("Klart senast").fill("2023-11-30")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Åtgärden är sparad.").wait_for()
    measure = Measure.objects.get(finding=finding)
    assert measure.responsible_unit == unit

    # The finding is an incident of the lägesbild, with the walk as its origin.
    assert Incident.objects.get(pk=finding.incident_id).origin == Incident.Origin.WALK
    page.goto(f"{live_server.url}{reverse('situation:table')}?start=2023-10-01&end=2023-10-31")
    page.get_by_text("Trygghetsvandring: Kvällsvandring Komarken (2023-10-19). Belysning.").wait_for()
    page.goto(f"{live_server.url}{reverse('walks:finding_detail', args=[finding.pk])}")

    page.get_by_role("link", name=f"← {walk.title}").click()
    page.get_by_role("link", name="Visa protokollet (HTML)").click()
    page.get_by_text("Byt lampan vid porten").wait_for()
    assert "Planerad" in page.content()

    measure.status = Measure.Status.DONE
    measure.save(update_fields=["status"])
    anonymous = browser.new_context(locale="sv-SE", viewport=PHONE)
    public = anonymous.new_page()
    try:
        public.goto(f"{live_server.url}/vandringar/offentlig/{walk.pk}/")
        public.get_by_role("heading", name="Trygghetsvandring: Kvällsvandring Komarken").wait_for()
        text = public.locator("main").inner_text()
        assert "Belysning: Komarken" in text and "Byt lampan vid porten: Klar" in text
        assert "Trasig lampa" not in text and "samordnare" not in text
        assert fits_the_screen(public)
        assert_accessible(public)
    finally:
        anonymous.close()
