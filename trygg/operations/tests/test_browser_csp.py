"""The Content-Security-Policy (no unsafe-inline) breaks nothing the browser is asked to do: the demo
coordinator visits the main pages and not one `securitypolicyviolation` event fires."""

from __future__ import annotations

import pytest

from trygg.conftest import log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
    + (e.sample ? ` (${e.sample})` : ""));
});
"""


@pytest.fixture
def demo(db):
    from trygg.demo import plans as demo_plans
    from trygg.demo.users import load_users
    from trygg.places.loading import load_municipality
    from trygg.plans.models import FollowUp

    municipalities = {code: load_municipality(code) for code in ("1482", "1440")}
    load_users(municipalities)
    demo_plans.load(municipalities["1482"], acting_user=None)
    return FollowUp.objects.filter(plan__municipality=municipalities["1482"]).order_by("-year").first()


def _pages(follow_up) -> list[str]:
    plan = f"/planer/{follow_up.plan.slug}/"
    return [
        "/",
        "/planer/",
        plan,
        f"{plan}uppfoljning/{follow_up.year}/",
        "/lagesbild/",
        "/vandringar/",
        "/dialog/",
        "/statistik/",
        "/lagen/",
        "/integritet/",
    ]


def test_main_pages_cause_no_csp_violations(page, live_server, demo):
    page.add_init_script(COLLECT)
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, live_server.url, "samordnare", "trygg-demo")
    found = {}
    for path in _pages(demo):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        if events := page.evaluate("window.__csp"):
            found[path] = events
    assert not found and not console, {"events": found, "console": console}
