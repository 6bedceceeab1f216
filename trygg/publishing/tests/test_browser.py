"""An anonymous resident on a phone (390 px): opens the published plan, filters, reads an activity's history
and downloads the report; axe finds no violations on the pages."""

from __future__ import annotations

import pytest

from trygg.conftest import assert_accessible

from .conftest import INTERNAL_COMMENT, PUBLISHED_COMMENT

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"width": 390, "height": 844}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_resident_on_a_phone_filters_reads_history_and_downloads_the_report(live_server, page, published):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/oppet/")
    page.get_by_role("link", name=published.plan.name).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == published.plan.name
    assert _fits(page)
    assert_accessible(page, impacts=("minor", "moderate", "serious", "critical"))
    assert PUBLISHED_COMMENT in page.content() and INTERNAL_COMMENT not in page.content()

    # Filters, by keyboard: choose area 4.2 and submit with Enter.
    area = page.get_by_label("Delområde", exact=True)
    area.focus()
    area.select_option(label="4.2 Delområde 2")
    page.get_by_role("button", name="Visa", exact=True).press("Enter")
    page.wait_for_load_state()
    page.wait_for_url(lambda url: "omrade=2" in url)
    assert page.get_by_text("Visar 3 aktiviteter.").is_visible()
    assert page.locator(".activity-card").count() == 3
    page.get_by_label("Politiskt uppdrag").select_option("ja")
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_url(lambda url: "politiskt=ja" in url)
    assert page.locator(".activity-card").count() == 1
    assert_accessible(page, impacts=("minor", "moderate", "serious", "critical"))

    # An activity's history.
    page.get_by_role("link", name="Visa alla").click()
    page.wait_for_load_state()
    page.get_by_role("link", name=published.shown.activity.title, exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Status år för år").is_visible()
    assert page.get_by_role("heading", name="2023", level=3).is_visible()
    assert PUBLISHED_COMMENT in page.content()
    assert _fits(page)
    assert_accessible(page, impacts=("minor", "moderate", "serious", "critical"))

    # The report.
    page.go_back()
    page.wait_for_load_state()
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner som Word (DOCX)").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    assert download.path().stat().st_size > 1000


def test_open_data_page_is_accessible_on_a_phone(live_server, page, published):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/oppet/data/")
    assert page.get_by_role("link", name="katalog.rdf").is_visible()
    assert _fits(page)
    assert_accessible(page, impacts=("minor", "moderate", "serious", "critical"))
