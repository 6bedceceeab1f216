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
        except ModuleNotFoundError as error:
            if error.name not in (f"trygg.{app}.tests", f"trygg.{app}.tests.{name}"):
                raise  # a broken import inside a cases module must not hide its cases
            continue
        cases.update(getattr(module, "CASES", {}))
        exempt.update(getattr(module, "EXEMPT", {}))
    return cases, exempt


CASES, EXEMPT = _load("tenancy_cases")


def _takes_parameters(pattern) -> bool:
    """True for a path() with a converter and for a re_path() with a group (both compile to a regex)."""
    return bool(getattr(pattern, "converters", None)) or pattern.regex.groups > 0


def urls_with_parameters(resolver=None, namespace="", inherited=False, prefix=""):
    """The names ("namespace:name") of every non-admin URL that takes a parameter, its own or an enclosing
    include()'s. An unnamed one yields "<unnamed route>", which no case can match, so it fails too."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or (entry.app_name or "") == "admin":
                continue
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from urls_with_parameters(
                entry, inner, inherited or _takes_parameters(entry.pattern), route
            )
        elif isinstance(entry, URLPattern) and (inherited or _takes_parameters(entry.pattern)):
            if not entry.name:
                yield f"<unnamed {route}>"
            else:
                yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_with_an_id_has_a_tenancy_case():
    found = set(urls_with_parameters())
    missing = sorted(found - set(CASES) - set(EXEMPT))
    assert not missing, (
        f"URLs without a tenant-isolation case (add them to tests/tenancy_cases.py): {missing}"
    )
    stale = sorted((set(CASES) | set(EXEMPT)) - found)
    assert not stale, f"tenancy cases for URLs that no longer take an id (remove them): {stale}"


@pytest.fixture
def two_municipalities(db):
    return load_municipality(MUNICIPALITY_A), load_municipality(MUNICIPALITY_B)


def _reach(client, user, url, method):
    client.force_login(user)
    return getattr(client, method)(url).status_code


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_a_user_of_another_municipality_gets_404(client, two_municipalities, url_name):
    a, b = two_municipalities
    url = reverse(url_name, kwargs=CASES[url_name](b))
    own = make_user("b-samordnare", Role.COORDINATOR, municipality=b)
    # A POST-only URL answers GET with 405 whoever asks: its reach is checked by POST, after the outsiders.
    method = "post" if _reach(client, own, url, "get") == 405 else "get"

    for role in (Role.ADMIN, Role.COORDINATOR, Role.PARTNER, Role.READER):
        outsider = make_user(f"a-{role}", role, municipality=a)
        client.force_login(outsider)
        assert client.get(url).status_code == 404, f"GET as {role} of A"
        assert client.post(url, {}).status_code in (404, 405), f"POST as {role} of A"

    # The partner in both reaches B's object exactly as a partner of B alone does (a 403 for a page partners
    # may not use is the same 403): the membership in A neither hides nor widens anything.
    partner_b = make_user("polis-b", Role.PARTNER, municipality=b)
    both = grant(make_user("polis-ab", Role.PARTNER, municipality=a), b, Role.PARTNER)
    alone = _reach(client, partner_b, url, method)
    assert alone != 404, "a partner of B must reach B's object"
    assert _reach(client, both, url, method) == alone, "a partner in both municipalities reaches B's object"
    assert _reach(client, own, url, method) != 404, "the case's object must exist for its own municipality"
