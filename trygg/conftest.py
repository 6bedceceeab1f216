"""Shared test personas: one user per role in municipality A (Kungälv), plus an outsider (an account with no
role); and municipality B (Ale) for tenant-isolation tests."""

import pytest

from trygg.accounts.models import Membership, Organisation, Role, Unit, User
from trygg.lib.chromium import CHROMIUM, CHROMIUM_ARGS
from trygg.places.loading import load_municipality

MUNICIPALITY_A = "1482"  # Kungälv, the demo municipality (TRYGG_MUNICIPALITY_CODE)
MUNICIPALITY_B = "1440"  # Ale, its neighbour in lokalpolisområde Kungälv/Ale


def make_user(
    username: str, role: str = Role.READER, units=(), organisation=None, municipality=None, **extra
) -> User:
    """A user with `role` in `municipality` (default: A, loaded when missing); Role.NONE gives no membership."""
    user = User.objects.create_user(username=username, password="pw-" + username, **extra)
    if organisation is not None:
        user.organisation = organisation
        user.save(update_fields=["organisation"])
    if role:
        municipality = municipality or load_municipality(MUNICIPALITY_A)
        Membership.objects.create(user=user, municipality=municipality, role=role)
    if units:
        user.units.set(units)
    return user


def grant(user: User, municipality, role: str) -> User:
    """Give `user` a role in another municipality; returns a fresh instance (roles are cached per instance)."""
    Membership.objects.update_or_create(user=user, municipality=municipality, defaults={"role": role})
    return User.objects.get(pk=user.pk)


@pytest.fixture
def municipality(db):
    """Municipality A (Kungälv) with its boundary."""
    return load_municipality(MUNICIPALITY_A)


@pytest.fixture
def other_municipality(db):
    """Municipality B (Ale) with its boundary."""
    return load_municipality(MUNICIPALITY_B)


@pytest.fixture
def unit(municipality):
    return Unit.objects.get_or_create(municipality=municipality, name="Säkerhetsenheten")[0]


@pytest.fixture
def other_unit(municipality):
    return Unit.objects.get_or_create(municipality=municipality, name="Sektor Trygghet och Stöd")[0]


@pytest.fixture
def personas(municipality, unit):
    police = Organisation.objects.get_or_create(name="Polisen", kind=Organisation.Kind.POLICE)[0]
    return {
        "admin": make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
        "coordinator": make_user("samordnare", Role.COORDINATOR),
        "unit_editor": make_user("enhet", Role.UNIT_EDITOR, units=[unit]),
        "partner": make_user("polis", Role.PARTNER, organisation=police),
        "reader": make_user("lasare", Role.READER),
        "outsider": make_user("utomstaende", Role.NONE),
    }


@pytest.fixture
def login(client):
    """Log the test client in as a user and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download). Skips only where chromium is missing."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium saknas (bin/test installerar det)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, base_url, username, password, next_url=""):
    """Log in through the login form and wait until the browser has left it (the next page has loaded)."""
    page.goto(f"{base_url}/logga-in/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/logga-in/" not in url)
    page.wait_for_load_state()


def assert_accessible(page, *, impacts=("serious", "critical")):
    """Run axe-core (bundled by axe-playwright-python) and fail on serious or critical WCAG violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    violations = [v for v in results.response["violations"] if v.get("impact") in impacts]
    assert not violations, "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} st)" for v in violations)
