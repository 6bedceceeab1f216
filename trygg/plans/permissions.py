"""The one authorisation helper of the plans app. Views call these; nothing else decides access.

- admin, coordinator: read everything, edit everything.
- unit editor: read everything, edit status/comment of activities of their own units.
- partner, reader: read only.
- no role: no access.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from trygg.accounts.models import Role

from .models import Activity, FollowUp, Plan

READ_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
MANAGE_ROLES = (Role.ADMIN, Role.COORDINATOR)


def can_view_plans(user) -> bool:
    return user.is_authenticated and user.has_role(*READ_ROLES)


def can_manage_plans(user) -> bool:
    """Edit plan structure, follow-up texts and every activity; import plans."""
    return user.is_authenticated and user.has_role(*MANAGE_ROLES)


def can_edit_activity(user, activity: Activity, user_unit_ids: set[int] | None = None) -> bool:
    if can_manage_plans(user):
        return True
    if not (user.is_authenticated and user.has_role(Role.UNIT_EDITOR)):
        return False
    if user_unit_ids is None:
        user_unit_ids = set(user.units.values_list("pk", flat=True))
    activity_unit_ids = {u.pk for u in activity.units.all()}  # uses the prefetch cache when present
    return bool(user_unit_ids & activity_unit_ids)


def require_view(request) -> None:
    if not can_view_plans(request.user):
        raise PermissionDenied("Du har inte behörighet att se planerna.")


def require_manage(request) -> None:
    if not can_manage_plans(request.user):
        raise PermissionDenied("Endast samordnare och administratörer får göra detta.")


def get_plan_for_user(request, slug: str) -> Plan:
    require_view(request)
    return get_object_or_404(Plan, slug=slug)


def get_follow_up_for_user(request, slug: str, year: int, write: bool = False) -> FollowUp:
    (require_manage if write else require_view)(request)
    return get_object_or_404(FollowUp.objects.select_related("plan"), plan__slug=slug, year=year)


def get_activity_for_user(request, pk: int, write: bool = False) -> Activity:
    require_view(request)
    activity = get_object_or_404(
        Activity.objects.select_related("intervention__area__plan").prefetch_related("units"), pk=pk
    )
    if write and not can_edit_activity(request.user, activity):
        raise PermissionDenied("Du kan bara ändra aktiviteter som din enhet ansvarar för.")
    return activity
