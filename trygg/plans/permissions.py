"""The one authorisation helper of the plans app. Views call these; nothing else decides access.

Roles are per municipality (accounts.Membership); a plan and everything in it belongs to the plan's municipality.

- admin, coordinator: read everything, edit everything, import plans.
- unit editor: read everything, edit status/comment of activities of their own units.
- partner, reader: read only.
- no role in the plan's municipality: the plan does not exist for them (404, never 403).

Objects are fetched only through ``trygg.accounts.tenancy.get_for_user_or_404``; write checks then use the role
in the object's own municipality.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from trygg.accounts import tenancy
from trygg.accounts.models import Role

from .models import Activity, FollowUp, Plan

READ_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
MANAGE_ROLES = (Role.ADMIN, Role.COORDINATOR)


def can_view_plans(user, municipality) -> bool:
    return user.is_authenticated and municipality is not None and user.has_role_in(municipality, *READ_ROLES)


def can_manage_plans(user, municipality) -> bool:
    """Edit plan structure, follow-up texts and every activity of the municipality's plans; import plans."""
    return (
        user.is_authenticated and municipality is not None and user.has_role_in(municipality, *MANAGE_ROLES)
    )


def can_import_plans(user) -> bool:
    """A coordinator or administrator somewhere; the import checks the role in the file's municipality."""
    return user.is_authenticated and user.has_role_anywhere(*MANAGE_ROLES)


def can_edit_activity(
    user, activity: Activity, user_unit_ids: set[int] | None = None, municipality_id: int | None = None
) -> bool:
    """municipality_id: the plan's, when the caller has it (a list of one plan's activities saves a query
    per area)."""
    municipality_id = municipality_id or tenancy.municipality_id_of(activity)
    if can_manage_plans(user, municipality_id):
        return True
    if not (user.is_authenticated and user.has_role_in(municipality_id, Role.UNIT_EDITOR)):
        return False
    if user_unit_ids is None:
        user_unit_ids = set(user.units.values_list("pk", flat=True))
    activity_unit_ids = {u.pk for u in activity.units.all()}  # uses the prefetch cache when present
    return bool(user_unit_ids & activity_unit_ids)


def current_municipality_for_plans(request):
    """The municipality whose plans the lists show: the current one, when the user may read plans there."""
    municipality = tenancy.current_municipality(request)
    if not can_view_plans(request.user, municipality):
        raise PermissionDenied("Du har inte behörighet att se planerna.")
    return municipality


def require_import(request) -> None:
    if not can_import_plans(request.user):
        raise PermissionDenied("Endast samordnare och administratörer får importera planer.")


def get_plan_for_user(request, slug: str) -> Plan:
    return tenancy.get_for_user_or_404(
        Plan.objects.select_related("municipality", "program"), request.user, READ_ROLES, slug=slug
    )


def get_follow_up_for_user(request, slug: str, year: int, write: bool = False) -> FollowUp:
    follow_up = tenancy.get_for_user_or_404(
        FollowUp.objects.select_related("plan__municipality"),
        request.user,
        READ_ROLES,
        plan__slug=slug,
        year=year,
    )
    if write and not can_manage_plans(request.user, follow_up.plan.municipality_id):
        raise PermissionDenied("Endast samordnare och administratörer får göra detta.")
    return follow_up


def get_activity_for_user(request, pk: int, write: bool = False) -> Activity:
    activity = tenancy.get_for_user_or_404(
        Activity.objects.select_related("intervention__area__plan__municipality").prefetch_related("units"),
        request.user,
        READ_ROLES,
        pk=pk,
    )
    if write and not can_edit_activity(request.user, activity):
        raise PermissionDenied("Du kan bara ändra aktiviteter som din enhet ansvarar för.")
    return activity
