"""Debian chromium through Playwright. A resident answers a campaign by keyboard only (Tab, Space, arrow keys,
Enter and typing; no click), choosing the place by typing in the searchable list; the submission waits in the
coordinator's moderation queue; once approved it is counted on the public results. The small-cell suppression
stays at its real value k = 5: four approved submissions at the same place are made first, so the resident's
is the fifth, and the cell appears only after the approval.

axe-core finds no serious or critical WCAG 2.1 A/AA violation on the public form, the receipt, the results and
a published demo walk's public protocol page, at 390×844 and 1366×900, and no page is wider than the screen."""

from __future__ import annotations

import pytest

from trygg.conftest import assert_accessible
from trygg.dialog.models import Submission
from trygg.lib.geo import cell_to_h3

from .conftest import submit_direct

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
TEXT = "Lampan vid gångvägen är trasig sedan i höstas."


@pytest.fixture
def no_tiles(settings, live_server):
    settings.TRYGG_TILE_URL = live_server.url + "/inga-kartplattor/{z}/{x}/{y}.png"


def tab_to(page, css: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `css` (fails when it never does)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("css => document.activeElement && document.activeElement.matches(css)", css):
            return
    raise AssertionError(f"Tab never reached {css}")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def check_page(page, url: str | None = None) -> None:
    """axe-core and the width check at both viewports (reloading `url` for each when given)."""
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        if url:
            page.goto(url)
        page.wait_for_load_state()
        assert fits_the_screen(page), f"{page.url} is wider than {viewport['width']} px"
        assert_accessible(page)


def test_a_resident_by_keyboard_then_moderation_then_results(
    live_server, browser, page, campaign, place, personas, no_tiles
):
    for _ in range(4):
        submit_direct(campaign, place=place)
    cell = cell_to_h3(place.h3_r8)
    base = live_server.url
    form_url = f"{base}/tycktill/{campaign.pk}/"
    results_url = f"{base}/tycktill/{campaign.pk}/resultat/"

    check_page(page, form_url)
    check_page(page, results_url)
    assert cell not in page.locator("main").inner_text()  # 4 approved: below k

    page.set_viewport_size(PHONE)
    page.goto(form_url)
    page.wait_for_load_state()
    tab_to(page, "#place-filter")
    page.keyboard.type("Komark")
    page.get_by_text("1 plats matchar. Vald plats: Komarken.").wait_for()
    assert page.locator("#id_place").input_value() == str(place.pk)
    tab_to(page, "#id_place")  # the list itself keeps the choice
    tab_to(page, "input[name=categories][value=belysning]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=time_of_day]")
    page.keyboard.press("ArrowDown")  # dag → kväll (arrow keys move and select in a radio group)
    tab_to(page, "input[name=day_type]")
    page.keyboard.press("Space")  # vardag
    tab_to(page, "#id_text")
    page.keyboard.type(TEXT)
    tab_to(page, "button.dialog-submit")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Tack – vi har tagit emot din synpunkt").wait_for()

    submission = Submission.objects.get(status="pending")
    assert submission.place_id == place.pk and submission.location_kind == "place"
    assert submission.categories == ["belysning"]
    assert (submission.time_of_day, submission.day_type, submission.text) == ("kvall", "vardag", TEXT)
    assert submission.receipt in page.locator(".receipt-number").inner_text()
    check_page(page)

    staff = browser.new_context(locale="sv-SE", viewport=DESKTOP)
    coordinator = staff.new_page()
    try:
        coordinator.goto(f"{base}/logga-in/?next=/dialog/{campaign.pk}/granskning/")
        coordinator.get_by_label("Användarnamn").fill("samordnare")
        coordinator.get_by_label("Lösenord").fill("pw-samordnare")
        coordinator.get_by_role("button", name="Logga in").click()
        coordinator.get_by_role("heading", name="Granskning").wait_for()
        row = coordinator.locator("tr", has_text=submission.receipt)
        assert TEXT[:40] in row.inner_text()
        row.get_by_role("button", name=f"Godkänn {submission.receipt}").click()
        coordinator.get_by_text(f"Synpunkt {submission.receipt}: godkänd.").wait_for()
        submission.refresh_from_db()
        assert submission.status == "approved"
        assert submission.receipt not in coordinator.locator("table").inner_text()  # left the queue
    finally:
        staff.close()

    page.goto(results_url)
    text = page.locator("main").inner_text()
    assert "5 granskade och godkända synpunkter" in text
    assert cell in text  # the cell now has k = 5 approved submissions
    assert TEXT in text  # the campaign publishes approved comments
    check_page(page, results_url)


def test_the_public_walk_protocol_is_accessible(live_server, page, kungalv, no_tiles):
    from trygg.demo import walks as demo_walks
    from trygg.situation.models import Category
    from trygg.situation.taxonomy import seed_categories
    from trygg.walks.models import Walk

    seed_categories(Category)  # findings become lägesbild incidents
    demo_walks.load(kungalv, acting_user=None)
    walk = Walk.objects.filter(published=True, findings__measures__isnull=False).distinct().first()
    assert walk is not None
    url = f"{live_server.url}/vandringar/offentlig/{walk.pk}/"
    page.goto(url)
    page.get_by_role("heading", name=f"Trygghetsvandring: {walk.title}").wait_for()
    check_page(page, url)
