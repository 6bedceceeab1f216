"""The admin shows domain data read-only: a save there would bypass the do_* write path (redaction, boundary
checks, audit). Users, roles, organisations and units stay editable (audited in trygg.accounts.admin)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from trygg.accounts.models import User

EDITABLE = {"accounts.user", "accounts.organisation", "accounts.unit", "auth.group"}


def _domain_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("trygg.") and model._meta.label_lower not in EDITABLE
    ]


def test_domain_models_are_registered():
    labels = {model._meta.label_lower for model, _ in _domain_admins()}
    assert {"plans.plan", "plans.activity", "situation.incident", "indicators.observation"} <= labels


@pytest.mark.parametrize(
    ("model", "model_admin"), _domain_admins(), ids=[m._meta.label for m, _ in _domain_admins()]
)
def test_domain_data_is_read_only_in_the_admin(db, model, model_admin):
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root", password=None)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.parametrize(
    ("model", "model_admin"), _domain_admins(), ids=[m._meta.label for m, _ in _domain_admins()]
)
def test_staff_who_are_not_installation_admins_read_no_domain_data_in_the_admin(db, model, model_admin):
    """The admin is not scoped by municipality, so a coordinator (staff, even with every view permission)
    must not browse another municipality's rows there."""
    from django.contrib.auth.models import Permission

    request = RequestFactory().get("/admin/")
    staff = User.objects.create_user("staff", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    request.user = User.objects.get(pk=staff.pk)
    assert not model_admin.has_view_permission(request)
    assert not model_admin.has_module_permission(request)
