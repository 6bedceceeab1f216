"""The one authorisation helper of the walks. Views call these; nothing else decides access.

Roles are per municipality (trygg.accounts.tenancy); every check uses the role in the object's own
municipality, or in the current municipality for lists and new walks:

| role (in the municipality) | read | plan walks, route, publish, assign measures | record findings, photos | update a measure |
|----------------------------|------|---------------------------------------------|--------------------------|------------------|
| admin, coordinator         | yes  | yes                                         | yes (edit every finding) | every measure    |
| partner, unit editor       | yes  | no                                          | yes (edit own/own org's) | of own unit/org  |
| reader                     | yes  | no                                          | no                       | no               |
| no role there              | the object does not exist for the user (404)                                                      |

The public protocol page needs no login and shows only walks whose protocol is published
(:func:`get_public_walk`); an unpublished walk is a 404 there.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from trygg.accounts import tenancy
from trygg.accounts.models import Role
from trygg.places.models import Municipality

from .models import Finding, Measure, Photo, Stop, Walk

READ_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
RECORD_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER)
MANAGE_ROLES = (Role.ADMIN, Role.COORDINATOR)

READ_ONLY = "Du kan läsa trygghetsvandringarna men inte ändra i dem."
MANAGE_ONLY = "Endast samordnare och administratörer får planera vandringar och tilldela åtgärder."


def can_view_walks(user, municipality) -> bool:
    return user.is_authenticated and user.has_role_in(municipality, *READ_ROLES)


def can_record_findings(user, municipality) -> bool:
    return user.is_authenticated and user.has_role_in(municipality, *RECORD_ROLES)


def can_manage_walks(user, municipality) -> bool:
    return user.is_authenticated and user.has_role_in(municipality, *MANAGE_ROLES)


def can_edit_finding(user, finding: Finding) -> bool:
    municipality_id = tenancy.municipality_id_of(finding)
    if can_manage_walks(user, municipality_id):
        return True
    if not can_record_findings(user, municipality_id):
        return False
    if finding.recorded_by_id is not None and finding.recorded_by_id == user.pk:
        return True
    return user.organisation_id is not None and finding.recorded_by_organisation_id == user.organisation_id


def _unit_ids(user) -> set[int]:
    if not hasattr(user, "_walk_unit_ids"):
        user._walk_unit_ids = set(user.units.values_list("pk", flat=True))
    return user._walk_unit_ids


def can_update_measure(user, measure: Measure) -> bool:
    """Coordinators every measure; partners and unit editors those their organisation or unit is
    responsible for."""
    municipality_id = tenancy.municipality_id_of(measure)
    if can_manage_walks(user, municipality_id):
        return True
    if not can_record_findings(user, municipality_id):
        return False
    if measure.responsible_unit_id is not None and measure.responsible_unit_id in _unit_ids(user):
        return True
    return (
        user.organisation_id is not None
        and measure.responsible_organisation_id is not None
        and measure.responsible_organisation_id == user.organisation_id
    )


def require_walks_access(request, manage: bool = False) -> Municipality:
    """The current municipality, when the user may read (with manage: plan) its walks."""
    municipality = tenancy.current_municipality(request)
    if municipality is None or not can_view_walks(request.user, municipality):
        raise PermissionDenied("Du har inte behörighet till trygghetsvandringarna.")
    if manage and not can_manage_walks(request.user, municipality):
        raise PermissionDenied(MANAGE_ONLY)
    return municipality


def _get(queryset, request, **lookup):
    return tenancy.get_for_user_or_404(queryset, request.user, READ_ROLES, **lookup)


def get_walk_for_user(request, pk: int, *, manage: bool = False, record: bool = False) -> Walk:
    walk = _get(Walk.objects.select_related("municipality", "place"), request, pk=pk)
    if manage and not can_manage_walks(request.user, walk.municipality_id):
        raise PermissionDenied(MANAGE_ONLY)
    if record and not can_record_findings(request.user, walk.municipality_id):
        raise PermissionDenied(READ_ONLY)
    return walk


def get_stop_for_user(request, pk: int) -> Stop:
    """A stop, to remove it from the route (coordinators)."""
    stop = _get(Stop.objects.select_related("walk__municipality", "place"), request, pk=pk)
    if not can_manage_walks(request.user, stop.walk.municipality_id):
        raise PermissionDenied(MANAGE_ONLY)
    return stop


def get_finding_for_user(request, pk: int, *, write: bool = False, manage: bool = False) -> Finding:
    finding = _get(
        Finding.objects.select_related(
            "walk__municipality", "walk__place", "place", "recorded_by_organisation"
        ),
        request,
        pk=pk,
    )
    if manage and not can_manage_walks(request.user, finding.walk.municipality_id):
        raise PermissionDenied(MANAGE_ONLY)
    if write and not can_edit_finding(request.user, finding):
        if not can_record_findings(request.user, finding.walk.municipality_id):
            raise PermissionDenied(READ_ONLY)
        raise PermissionDenied("Du kan bara ändra fynd som du eller din organisation har registrerat.")
    return finding


def get_measure_for_user(request, pk: int, *, write: bool = False) -> Measure:
    measure = _get(
        Measure.objects.select_related(
            "finding__walk__municipality", "finding__place", "responsible_unit", "responsible_organisation"
        ),
        request,
        pk=pk,
    )
    if write and not can_update_measure(request.user, measure):
        if not can_record_findings(request.user, measure.finding.walk.municipality_id):
            raise PermissionDenied(READ_ONLY)
        raise PermissionDenied(
            "Du kan bara uppdatera åtgärder som din enhet eller organisation ansvarar för."
        )
    return measure


def get_photo_for_user(request, pk: int, *, write: bool = False) -> Photo:
    photo = _get(Photo.objects.select_related("finding__walk__municipality"), request, pk=pk)
    if write and not can_edit_finding(request.user, photo.finding):
        raise PermissionDenied(
            "Du kan bara ta bort foton från fynd som du eller din organisation har registrerat."
        )
    return photo


def get_public_walk(pk: int) -> Walk:
    """A walk whose protocol is published, for anyone (no login); any other id is a 404."""
    return get_object_or_404(Walk.objects.published().select_related("municipality", "place"), pk=pk)
