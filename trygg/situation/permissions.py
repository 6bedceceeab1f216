"""The one authorisation helper of the lägesbild. Views call these; nothing else decides access.

| role                 | read | report incidents, meetings, focus areas, actions | taxonomy, cameras |
|----------------------|------|---------------------------------------------------|-------------------|
| admin, coordinator   | yes  | yes (edit every incident)                         | yes               |
| partner              | yes  | yes (edit incidents of own organisation or own)   | no                |
| unit editor, reader  | yes  | no                                                | no                |
| no role (outsider)   | no   | no                                                | no                |

Partners read and write the lägesbild but cannot edit the plan (trygg.plans.permissions gives them read only).
Meetings, focus areas and actions are joint work: every writer may change them whichever organisation created
them (the pages show "Skapad av <organisation>"; every change is audited). See docs/lagesbild.md.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from trygg.accounts.models import Role

from .models import Action, CameraSite, Category, FocusArea, Incident, Meeting

READ_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
WRITE_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.PARTNER)
MANAGE_ROLES = (Role.ADMIN, Role.COORDINATOR)


def can_view_situation(user) -> bool:
    return user.is_authenticated and user.has_role(*READ_ROLES)


def can_write_situation(user) -> bool:
    return user.is_authenticated and user.has_role(*WRITE_ROLES)


def can_manage_situation(user) -> bool:
    return user.is_authenticated and user.has_role(*MANAGE_ROLES)


def can_edit_incident(user, incident: Incident) -> bool:
    if can_manage_situation(user):
        return True
    if not can_write_situation(user):
        return False
    if incident.reported_by_id is not None and incident.reported_by_id == user.pk:
        return True
    return user.organisation_id is not None and incident.source_organisation_id == user.organisation_id


def require_situation_access(request, write: bool = False) -> None:
    if not can_view_situation(request.user):
        raise PermissionDenied("Du har inte behörighet till lägesbilden.")
    if write and not can_write_situation(request.user):
        raise PermissionDenied("Du kan läsa lägesbilden men inte ändra i den.")


def require_situation_manage(request) -> None:
    if not can_manage_situation(request.user):
        raise PermissionDenied("Endast samordnare och administratörer får göra detta.")


def get_incident_for_user(request, pk: int, write: bool = False) -> Incident:
    require_situation_access(request, write=write)
    incident = get_object_or_404(Incident.objects.with_related().select_related("district"), pk=pk)
    if write and not can_edit_incident(request.user, incident):
        raise PermissionDenied("Du kan bara ändra händelser som du eller din organisation har rapporterat.")
    return incident


def get_meeting_for_user(request, pk: int, write: bool = False) -> Meeting:
    require_situation_access(request, write=write)
    return get_object_or_404(Meeting.objects.select_related("created_by", "created_by_organisation"), pk=pk)


def get_focus_area_for_user(request, pk: int, write: bool = False) -> FocusArea:
    require_situation_access(request, write=write)
    return get_object_or_404(
        FocusArea.objects.select_related(
            "place", "district", "category", "meeting", "created_by", "created_by_organisation"
        ),
        pk=pk,
    )


def get_action_for_user(request, pk: int, write: bool = False) -> Action:
    require_situation_access(request, write=write)
    return get_object_or_404(
        Action.objects.with_related().select_related(
            "meeting", "focus_area__category", "created_by", "created_by_organisation"
        ),
        pk=pk,
    )


def get_camera_for_user(request, pk: int, write: bool = False) -> CameraSite:
    if write:
        require_situation_manage(request)
    else:
        require_situation_access(request)
    return get_object_or_404(CameraSite.objects.select_related("place"), pk=pk)


def get_category_for_user(request, pk: int) -> Category:
    require_situation_manage(request)
    return get_object_or_404(Category, pk=pk)
