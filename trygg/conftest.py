"""Shared test personas: one user per role, plus an outsider (an account with no role)."""

import pytest

from trygg.accounts.models import Organisation, Role, Unit, User


def make_user(username: str, role: str = Role.READER, units=(), organisation=None, **extra) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, role=role, **extra)
    if organisation is not None:
        user.organisation = organisation
        user.save(update_fields=["organisation"])
    if units:
        user.units.set(units)
    return user


@pytest.fixture
def unit(db):
    return Unit.objects.get_or_create(name="Säkerhetsenheten")[0]


@pytest.fixture
def other_unit(db):
    return Unit.objects.get_or_create(name="Sektor Trygghet och Stöd")[0]


@pytest.fixture
def personas(db, unit):
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
