"""Must-show crawl: each demo role, every page reachable from its menus, at 1366×900 and 390×844.

No page is wider than the viewport; no page shows developer text ("manage.py"), a raw indicator code, an H3
cell id or English words from a list; every status symbol or colour swatch has visible text beside it; every menu link answers 200 for that role; axe-core finds no serious
or critical violations. The lägesbild pages are crawled like every other page (no expected failures).
"""

import re

import pytest
from django.core.management import call_command

from trygg.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

ROLES = ["samordnare", "enhet", "polis", "politiker", "ale"]
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
FORBIDDEN = [
    (re.compile(r"manage\.py"), "developer command"),
    (re.compile(r"\bDEMO\.[A-Za-z_]"), "raw indicator code"),
    (re.compile(r"\bN\d{5}\b"), "raw indicator code"),
    (re.compile(r"\bTAB\d+"), "raw indicator code"),
    (re.compile(r"\b8[0-9a-f]{14}\b"), "H3 cell id"),
]
ENGLISH = ["Forbidden", "Not Found", "Submit", "Loading", "Search", "Error", "Save", "Cancel", "Delete"]
MENU_SELECTOR = "header nav a, nav.subnav a"


def login(page, base, username):
    log_in(page, base, username, "trygg-demo")


def menu_links(page, base) -> list[str]:
    hrefs = page.eval_on_selector_all(MENU_SELECTOR, "els => els.map(e => e.getAttribute('href'))")
    return [h for h in dict.fromkeys(hrefs) if h and h.startswith("/") and not h.startswith("/admin")]


def problems_on(page, base, path, width) -> list[str]:
    found = []
    response = page.goto(base + path)
    if response is None or response.status != 200:
        return [f"answers {response.status if response else 'nothing'}"]
    page.wait_for_load_state()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        found.append(f"{scroll} px wide at {width} px")
    text = page.inner_text("body")
    for pattern, what in FORBIDDEN:
        if m := pattern.search(text):
            found.append(f"{what}: {m.group(0)!r}")
    for word in ENGLISH:
        if re.search(rf"\b{word}\b", text):
            found.append(f"English word {word!r}")
    # Every status symbol or colour swatch has visible text beside it (WCAG 1.4.1: not by colour alone).
    mute = page.eval_on_selector_all(
        ".chip, .status-symbol, .swatch",
        """els => els.filter(e => {
            const host = e.closest('.chip, li, td, th, p, dd, label') || e.parentElement;
            return !(host && host.innerText && host.innerText.trim());
        }).map(e => e.className.baseVal || e.className)""",
    )
    if mute:
        found.append(f"status without visible text: {mute[:3]}")
    try:
        assert_accessible(page)
    except AssertionError as exc:
        found.append(f"axe: {exc}")
    return found


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_menu_page_fits_speaks_swedish_and_is_accessible(live_server, browser, viewport):
    call_command("load_demo", verbosity=0)
    width, height = VIEWPORTS[viewport]
    failures = []
    for username in ROLES:
        context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(30000)
        login(page, live_server.url, username)
        seen, queue = set(), ["/"]
        while queue:  # pages reachable from the menus (the main menu and each section's sub-menu)
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            found = problems_on(page, live_server.url, path, width)
            if found:
                failures.append(f"{username} {path}: " + "; ".join(found))
            queue += [h for h in menu_links(page, live_server.url) if h not in seen]
        context.close()
    assert not failures, "\n".join(failures)
