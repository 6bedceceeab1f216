"""Who may do what with statistics: the app's one public authorisation helper.

National statistics are shared by every municipality; local indicators, their figures and import jobs belong
to one municipality and are reached only through its roles (another municipality's job is a 404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from trygg.accounts import tenancy
from trygg.accounts.models import Role

from .models import ImportJob

VIEW_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
IMPORT_ROLES = (Role.ADMIN, Role.COORDINATOR)


def can_view(user) -> bool:
    """Every role in some municipality (not NONE, not anonymous) may read statistics."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_role_anywhere(*VIEW_ROLES)
    )


def can_import(user, municipality) -> bool:
    """Coordinators and administrators of the municipality import files and enter its local figures."""
    return bool(
        user is not None
        and user.is_authenticated
        and municipality is not None
        and user.has_role_in(municipality, *IMPORT_ROLES)
    )


def get_import_job_for_user(user, pk: int) -> ImportJob:
    """An import job of one of the user's municipalities (else 404); 403 when the user may not import there."""
    job = tenancy.get_for_user_or_404(
        ImportJob.objects.select_related("created_by", "municipality"), user, VIEW_ROLES, pk=pk
    )
    if not can_import(user, job.municipality):
        raise PermissionDenied
    return job
