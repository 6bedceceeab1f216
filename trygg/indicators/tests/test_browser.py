"""The statistics dashboard and the import page pass axe-core (WCAG 2.1 AA) and work by keyboard."""

import pytest
from django.core.management import call_command

from trygg.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_reader_uses_dashboard_by_keyboard(live_server, page):
    call_command("load_demo", verbosity=0)
    log_in(page, live_server.url, "politiker", "trygg-demo")
    page.get_by_label("Huvudmeny").get_by_role("link", name="Statistik").click()
    page.wait_for_load_state()
    assert_accessible(page)
    search = page.get_by_label("Sök nyckeltal")
    search.fill("NTU")
    search.press("Enter")
    page.wait_for_load_state()
    assert page.locator("main").inner_text().count("NTU") >= 1
    assert_accessible(page)


def test_coordinator_of_ale_sees_only_ales_local_figures(live_server, page):
    call_command("load_demo", verbosity=0)
    log_in(page, live_server.url, "ale", "trygg-demo")
    page.goto(live_server.url + "/statistik/lokala-nyckeltal/")
    main = page.locator("main").inner_text()
    assert "Lokala nyckeltal för Ale" in main
    assert "påhittad demouppgift" in main and "Krismottagningen, genomförda samtal" not in main
    assert_accessible(page)
