"""Errors answer in Swedish with the site's header and a way back."""

from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied, server_error

from trygg.accounts.models import Role
from trygg.conftest import make_user


def test_404_is_swedish_with_a_way_back(client, municipality):
    client.force_login(make_user("k", Role.READER, municipality=municipality))
    response = client.get("/finns-inte/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Sidan finns inte" in page and f'href="{reverse("home")}"' in page and "site-header" in page


def test_403_shows_the_swedish_reason():
    request = RequestFactory().get("/")
    response = permission_denied(request, PermissionDenied("Endast samordnare får göra detta."))
    page = response.content.decode()
    assert (
        response.status_code == 403
        and "Endast samordnare får göra detta." in page
        and "Forbidden" not in page
    )


def test_500_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "Något gick fel" in response.content.decode()
