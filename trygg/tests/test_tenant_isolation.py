"""For every URL that takes an object id: a user of municipality A gets 404 for B's object (GET and POST),
B's own coordinator and a partner in both reach it. The URL list comes from the resolver, so a new URL
without a case in its app's tests/tenancy_cases.py fails this suite."""

from __future__ import annotations

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from trygg.accounts.models import Role
from trygg.conftest import MUNICIPALITY_A, MUNICIPALITY_B, grant, make_user
from trygg.places.loading import load_municipality
from trygg.tests.cases import APPS


def _load(name: str) -> tuple[dict, dict]:
    cases, exempt = {}, {}
    for app in APPS:
        try:
            module = importlib.import_module(f"trygg.{app}.tests.{name}")
        except ModuleNotFoundError:
            continue
        cases.update(getattr(module, "CASES", {}))
        exempt.update(getattr(module, "EXEMPT", {}))
    return cases, exempt


CASES, EXEMPT = _load("tenancy_cases")


def _urls_with_parameters(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or (entry.app_name or "") == "admin":
                continue
            yield from _urls_with_parameters(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.pattern.converters and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_with_an_id_has_a_tenancy_case():
    missing = sorted(set(_urls_with_parameters()) - set(CASES) - set(EXEMPT))
    assert not missing, (
        f"URLs without a tenant-isolation case (add them to tests/tenancy_cases.py): {missing}"
    )
    assert CASES, "no cases collected"


@pytest.fixture
def two_municipalities(db):
    return load_municipality(MUNICIPALITY_A), load_municipality(MUNICIPALITY_B)


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_a_user_of_another_municipality_gets_404(client, two_municipalities, url_name):
    a, b = two_municipalities
    url = reverse(url_name, kwargs=CASES[url_name](b))
    own = make_user("b-samordnare", Role.COORDINATOR, municipality=b)
    client.force_login(own)
    assert client.get(url).status_code != 404, "the case's object must exist for its own municipality"

    for role in (Role.ADMIN, Role.COORDINATOR, Role.PARTNER):
        outsider = make_user(f"a-{role}", role, municipality=a)
        client.force_login(outsider)
        assert client.get(url).status_code == 404, f"GET as {role} of A"
        assert client.post(url, {}).status_code in (404, 405), f"POST as {role} of A"

    both = grant(make_user("polis-ab", Role.PARTNER, municipality=a), b, Role.PARTNER)
    client.force_login(both)
    assert client.get(url).status_code != 404, "a partner in both municipalities reaches B's object"
