"""The one authorisation helper of the lägesbild. Views call these; nothing else decides access.

Roles are per municipality (trygg.accounts.tenancy); every check uses the role in the object's own
municipality, or in the current municipality for lists and new rows:

| role (in the municipality) | read | report incidents, meetings, focus areas, actions | cameras |
|----------------------------|------|---------------------------------------------------|---------|
| admin, coordinator         | yes  | yes (edit every incident)                         | yes     |
| partner                    | yes  | yes (edit incidents of own organisation or own)   | no      |
| unit editor, reader        | aggregates only (see minimisation.py) | no                 | no      |
| no role there              | the object does not exist for the user (404)                |         |

The incident categories are one taxonomy shared by every municipality of the installation, so only
installation administrators (superusers) edit them.

A user with a read role in several municipalities may look at the lägesbild of all of them at once
(``?kommuner=alla``, :func:`lagesbild_municipalities`); everyone else sees the current municipality.
Meetings, focus areas and actions are joint work: every writer may change them whichever organisation created
them (the pages show "Skapad av <organisation>"; every change is audited). See docs/lagesbild.md.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from trygg.accounts import tenancy
from trygg.accounts.models import Role
from trygg.places.models import Municipality

from .models import Action, CameraSite, Category, FocusArea, Incident, Meeting

READ_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
WRITE_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.PARTNER)
MANAGE_ROLES = (Role.ADMIN, Role.COORDINATOR)

ALL_PARAM, ALL_VALUE = "kommuner", "alla"


def can_view_situation(user, municipality) -> bool:
    return user.is_authenticated and user.has_role_in(municipality, *READ_ROLES)


def can_write_situation(user, municipality) -> bool:
    return user.is_authenticated and user.has_role_in(municipality, *WRITE_ROLES)


def can_manage_situation(user, municipality) -> bool:
    return user.is_authenticated and user.has_role_in(municipality, *MANAGE_ROLES)


def can_manage_categories(user) -> bool:
    """The shared taxonomy: installation administrators only."""
    return user.is_authenticated and user.is_superuser


def can_choose_source(user, municipality) -> bool:
    """Admins and coordinators may name any organisation as the source; a partner only their own."""
    return can_manage_situation(user, municipality)


def can_edit_incident(user, incident: Incident) -> bool:
    municipality_id = incident.municipality_id
    if can_manage_situation(user, municipality_id):
        return True
    if not can_write_situation(user, municipality_id):
        return False
    if incident.reported_by_id is not None and incident.reported_by_id == user.pk:
        return True
    return user.organisation_id is not None and incident.source_organisation_id == user.organisation_id


def require_situation_access(request, write: bool = False) -> Municipality:
    """The current municipality, when the user may read (with write: report in) its lägesbild."""
    municipality = tenancy.current_municipality(request)
    if municipality is None or not can_view_situation(request.user, municipality):
        raise PermissionDenied("Du har inte behörighet till lägesbilden.")
    if write and not can_write_situation(request.user, municipality):
        raise PermissionDenied("Du kan läsa lägesbilden men inte ändra i den.")
    return municipality


def require_situation_manage(request) -> Municipality:
    municipality = require_situation_access(request)
    if not can_manage_situation(request.user, municipality):
        raise PermissionDenied("Endast samordnare och administratörer får göra detta.")
    return municipality


def readable_municipalities(user) -> list[Municipality]:
    """Every municipality whose lägesbild the user may read, by name."""
    if not user.is_authenticated:
        return []
    return list(Municipality.objects.filter(pk__in=user.municipality_ids(*READ_ROLES)).order_by("name"))


def wants_all(request) -> bool:
    return request.GET.get(ALL_PARAM) == ALL_VALUE


def lagesbild_municipalities(request) -> list[Municipality]:
    """The municipalities the lägesbild pages (map, table, hotspots, exports) show: all of the user's
    (``?kommuner=alla``, only meaningful with a read role in several), else the current one."""
    current = require_situation_access(request)
    if wants_all(request):
        readable = readable_municipalities(request.user)
        if len(readable) > 1:
            return readable
    return [current]


def _get(queryset, request, pk: int):
    return tenancy.get_for_user_or_404(queryset, request.user, READ_ROLES, pk=pk)


def _require_write(user, obj, message: str = "Du kan läsa lägesbilden men inte ändra i den.") -> None:
    if not can_write_situation(user, tenancy.municipality_id_of(obj)):
        raise PermissionDenied(message)


def get_incident_for_user(request, pk: int, write: bool = False) -> Incident:
    incident = _get(Incident.objects.with_related().select_related("district"), request, pk)
    if write and not can_edit_incident(request.user, incident):
        _require_write(request.user, incident)
        raise PermissionDenied("Du kan bara ändra händelser som du eller din organisation har rapporterat.")
    return incident


def get_meeting_for_user(request, pk: int, write: bool = False) -> Meeting:
    meeting = _get(
        Meeting.objects.select_related("municipality", "created_by", "created_by_organisation"), request, pk
    )
    if write:
        _require_write(request.user, meeting)
    return meeting


def get_focus_area_for_user(request, pk: int, write: bool = False) -> FocusArea:
    focus_area = _get(
        FocusArea.objects.select_related(
            "municipality",
            "place",
            "district",
            "category",
            "meeting",
            "created_by",
            "created_by_organisation",
        ),
        request,
        pk,
    )
    if write:
        _require_write(request.user, focus_area)
    return focus_area


def get_action_for_user(request, pk: int, write: bool = False) -> Action:
    action = _get(
        Action.objects.with_related().select_related(
            "municipality", "meeting", "focus_area__category", "created_by", "created_by_organisation"
        ),
        request,
        pk,
    )
    if write:
        _require_write(request.user, action)
    return action


def get_camera_for_user(request, pk: int, write: bool = False) -> CameraSite:
    camera = _get(CameraSite.objects.select_related("municipality", "place"), request, pk)
    if write and not can_manage_situation(request.user, camera.municipality_id):
        raise PermissionDenied("Endast samordnare och administratörer får ändra kameraregistret.")
    return camera


CATEGORY_ADMINS_ONLY = (
    "Kategorierna är gemensamma för alla kommuner i installationen; bara installationens administratörer "
    "får ändra dem."
)


def get_category_for_user(request, pk: int) -> Category:
    """A category of the shared taxonomy, for editing: installation administrators only."""
    if not can_manage_categories(request.user):
        raise PermissionDenied(CATEGORY_ADMINS_ONLY)
    return get_object_or_404(Category, pk=pk)
