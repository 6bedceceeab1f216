"""Roles are held per municipality; a superuser is administrator everywhere."""

import pytest

from trygg.accounts.models import Role, User
from trygg.conftest import grant, make_user


@pytest.fixture
def ab(municipality, other_municipality):
    return municipality, other_municipality


def test_a_role_holds_only_in_its_municipality(ab):
    a, b = ab
    user = make_user("k", Role.COORDINATOR, municipality=a)
    assert user.role_in(a) == Role.COORDINATOR
    assert user.role_in(b) == Role.NONE
    assert user.has_role_in(a, Role.COORDINATOR, Role.ADMIN)
    assert not user.has_role_in(b, Role.COORDINATOR, Role.ADMIN, Role.READER, Role.PARTNER)
    assert user.municipality_ids() == [a.pk]


def test_a_partner_of_a_lokalpolisomrade_has_a_role_in_each_municipality(ab):
    a, b = ab
    user = grant(make_user("polis", Role.PARTNER, municipality=a), b, Role.READER)
    assert user.role_in(a.pk) == Role.PARTNER and user.role_in(b.pk) == Role.READER
    assert user.municipality_ids(Role.PARTNER) == [a.pk]
    assert user.municipality_ids() == sorted([a.pk, b.pk])
    assert user.has_role_anywhere(Role.READER) and not user.has_role_anywhere(Role.COORDINATOR)


def test_superuser_is_administrator_in_every_municipality(ab):
    a, b = ab
    admin = User.objects.create_superuser("root", password=None)
    assert admin.role_in(a) == Role.ADMIN == admin.role_in(b)
    assert admin.municipality_ids(Role.ADMIN) == sorted([a.pk, b.pk])


def test_an_inactive_user_has_no_role(ab):
    a, _ = ab
    user = make_user("gone", Role.COORDINATOR, municipality=a)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert User.objects.get(pk=user.pk).role_in(a) == Role.NONE


def test_roles_are_read_once_per_user_instance(ab, django_assert_num_queries):
    a, b = ab
    user = User.objects.get(pk=grant(make_user("x", Role.READER, municipality=a), b, Role.PARTNER).pk)
    with django_assert_num_queries(1):
        for _ in range(5):
            user.role_in(a), user.role_in(b), user.municipality_ids(Role.PARTNER)
