"""Scoping by municipality in one place: lookups, the current municipality and switching."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from trygg.accounts import tenancy
from trygg.accounts.models import Role, Unit
from trygg.conftest import grant, make_user


@pytest.fixture
def ab(municipality, other_municipality):
    return municipality, other_municipality


def _request(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session if session is not None else {}
    return request


def test_get_for_user_or_404_hides_another_municipalitys_row(ab):
    a, b = ab
    unit_b = Unit.objects.create(municipality=b, name="Ale Fritid")
    user = make_user("k", Role.COORDINATOR, municipality=a)
    with pytest.raises(Http404):
        tenancy.get_for_user_or_404(Unit.objects.all(), user, (Role.COORDINATOR,), pk=unit_b.pk)
    both = grant(user, b, Role.READER)
    assert tenancy.get_for_user_or_404(Unit.objects.all(), both, (Role.READER,), pk=unit_b.pk) == unit_b
    with pytest.raises(Http404):  # a reader role in B does not satisfy a coordinator lookup
        tenancy.get_for_user_or_404(Unit.objects.all(), both, (Role.COORDINATOR,), pk=unit_b.pk)


def test_scope_follows_the_declared_municipality_path(ab, monkeypatch):
    a, b = ab
    from trygg.accounts.models import Membership, User

    user = make_user("k", Role.READER, municipality=a)
    make_user("j", Role.READER, municipality=b)
    assert list(tenancy.scope(Membership.objects.all(), [a.pk]).values_list("user", flat=True)) == [user.pk]
    assert tenancy.municipality_id_of(Membership.objects.get(user=user)) == a.pk
    monkeypatch.setattr(User, "MUNICIPALITY_PATH", "memberships__municipality", raising=False)
    assert list(tenancy.scope(User.objects.all(), [a.pk])) == [user]


def test_anonymous_users_reach_nothing(ab):
    from django.contrib.auth.models import AnonymousUser

    assert not tenancy.scope_for_user(Unit.objects.all(), AnonymousUser()).exists()


def test_current_municipality_defaults_to_the_installation_default_then_the_session_choice(ab, settings):
    a, b = ab
    user = grant(make_user("polis", Role.PARTNER, municipality=a), b, Role.PARTNER)
    settings.TRYGG_MUNICIPALITY_CODE = a.code
    assert tenancy.current_municipality(_request(user)) == a
    settings.TRYGG_MUNICIPALITY_CODE = b.code
    assert tenancy.current_municipality(_request(user)) == b
    request = _request(user)
    assert tenancy.switch_municipality(request, a.pk)
    assert tenancy.current_municipality(request) == a
    assert tenancy.current_municipality(_request(user, request.session)) == a


def test_a_user_cannot_switch_to_a_municipality_where_they_have_no_role(ab):
    a, b = ab
    user = make_user("k", Role.COORDINATOR, municipality=a)
    request = _request(user)
    assert not tenancy.switch_municipality(request, b.pk)
    assert tenancy.current_municipality(request) == a
    # a forged session value is ignored too
    assert tenancy.current_municipality(_request(user, {tenancy.SESSION_KEY: b.pk})) == a


def test_a_user_without_roles_has_no_current_municipality(ab):
    user = make_user("nobody", Role.NONE)
    assert tenancy.current_municipality(_request(user)) is None
    with pytest.raises(Http404):
        tenancy.require_current_municipality(_request(user))


def test_switch_view_changes_the_municipality_shown_in_the_header(client, ab):
    a, b = ab
    user = grant(make_user("polis", Role.PARTNER, municipality=a), b, Role.PARTNER)
    client.force_login(user)
    response = client.post(
        reverse("switch_municipality"), {"kommun": b.pk, "next": "/lagesbild/handelser/9/"}
    )
    assert response.status_code == 302 and response["Location"] == "/lagesbild/"
    assert client.session[tenancy.SESSION_KEY] == b.pk
    page = client.get(reverse("login")).content.decode()
    assert f'<option value="{b.pk}" selected>{b.full_name}</option>' in page


def test_switch_view_refuses_foreign_municipalities_and_unsafe_redirects(client, ab):
    a, b = ab
    client.force_login(make_user("k", Role.COORDINATOR, municipality=a))
    response = client.post(reverse("switch_municipality"), {"kommun": b.pk, "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert tenancy.SESSION_KEY not in client.session
    assert client.post(reverse("switch_municipality"), {"kommun": "x"}).status_code == 302
    assert client.get(reverse("switch_municipality")).status_code == 405
