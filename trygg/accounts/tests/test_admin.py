"""Users, roles per municipality, organisations and units are edited in the admin, and every edit is audited.
Domain data is read-only there (trygg/tests/test_admin_read_only.py)."""

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from trygg.accounts.models import AuditEvent, Organisation, Role, Unit, User
from trygg.conftest import make_user

PNR = "19811218-9876"


def events():
    """Audit rows of the test's own writes (loading a municipality fixture is audited too)."""
    return AuditEvent.objects.exclude(object_type="places.municipality")


@pytest.fixture
def admin_client(client, municipality):
    client.force_login(User.objects.create_superuser("root", password=None))
    return client


def _user_form(user, memberships, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": localtime(user.date_joined).strftime("%Y-%m-%d"),
        "date_joined_1": localtime(user.date_joined).strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": str(len(memberships) + 1),
        "memberships-INITIAL_FORMS": str(sum(1 for m in memberships if m.get("id"))),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(memberships):
        for key, value in m.items():
            data[f"memberships-{i}-{key}"] = value
    data.update(changes)
    return data


def test_changing_a_users_role_is_audited_with_old_and_new_roles(
    admin_client, municipality, other_municipality
):
    user = make_user("polis", Role.READER, municipality=municipality)
    membership = user.memberships.get()
    data = _user_form(
        user,
        [
            {"id": membership.pk, "user": user.pk, "municipality": municipality.pk, "role": Role.PARTNER},
            {"user": user.pk, "municipality": other_municipality.pk, "role": Role.PARTNER},
        ],
    )
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert dict(user.memberships.values_list("municipality__code", "role")) == {
        "1482": "partner",
        "1440": "partner",
    }
    event = events().get(object_type="accounts.user")
    assert event.changes["memberships"] == [["1482:reader"], ["1440:partner", "1482:partner"]]
    assert "password" not in event.changes


def test_an_unchanged_user_save_is_not_audited(admin_client, municipality):
    user = make_user("lasare", Role.READER, municipality=municipality)
    # The admin shows whole seconds; a stored microsecond would be a real (if trivial) change.
    user.date_joined = user.date_joined.replace(microsecond=0)
    user.save(update_fields=["date_joined"])
    m = user.memberships.get()
    data = _user_form(user, [{"id": m.pk, "user": user.pk, "municipality": municipality.pk, "role": m.role}])
    assert admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data).status_code == 302
    assert list(events().values_list("changes", flat=True)) == []


def test_organisation_edits_go_through_the_write_path(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_organisation_add"), {"name": f"Bevakning {PNR}", "kind": "security"}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert PNR not in organisation.name
    assert events().get().action == "admin.organisation.create"
    admin_client.post(
        reverse("admin:accounts_organisation_change", args=[organisation.pk]),
        {"name": "Securitas", "kind": "security"},
    )
    assert events().filter(action="admin.organisation.update").get().changes == {
        "name": [organisation.name, "Securitas"]
    }


def test_unit_delete_in_admin_is_audited(admin_client, municipality):
    unit = Unit.objects.create(municipality=municipality, name="Gammal enhet")
    response = admin_client.post(reverse("admin:accounts_unit_delete", args=[unit.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Unit.objects.exists()
    assert events().get().changes["name"] == ["Gammal enhet", None]


def test_the_audit_trail_cannot_be_edited_in_the_admin(admin_client, municipality):
    unit = Unit.objects.create(municipality=municipality, name="x")
    from trygg.accounts.audit import record_audit

    event = record_audit(None, "x.update", unit, {"name": ["a", "b"]})
    # The admin's list opens the audit view (filters, CSV export); no edit or delete anywhere.
    listing = admin_client.get(reverse("admin:accounts_auditevent_changelist"))
    assert listing.status_code == 302 and listing["Location"] == reverse("audit_list")
    response = admin_client.post(
        reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403 and events().filter(pk=event.pk).exists()
