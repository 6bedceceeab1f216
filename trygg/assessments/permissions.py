"""The one authorisation helper of the law's cycle. Views call these; nothing else decides access.

| role (in the municipality)           | read everything | edit kartläggning, plans, coordination, adopt |
|--------------------------------------|-----------------|------------------------------------------------|
| admin, coordinator                   | yes             | yes                                            |
| unit editor, partner, reader         | yes             | no (403)                                       |
| no role there                        | the object does not exist for the user (404)                     |

The samordningsfunktion's contact page is public (:func:`get_public_contact`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from trygg.accounts import tenancy
from trygg.accounts.models import Role
from trygg.places.models import Municipality

READ_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
MANAGE_ROLES = (Role.ADMIN, Role.COORDINATOR)
MANAGE_ONLY = "Endast samordnare och administratörer får ändra i kartläggningen, åtgärdsplanen och samverkan."


def can_view(user, municipality) -> bool:
    return bool(
        user.is_authenticated and municipality is not None and user.has_role_in(municipality, *READ_ROLES)
    )


def can_manage(user, municipality) -> bool:
    return bool(
        user.is_authenticated and municipality is not None and user.has_role_in(municipality, *MANAGE_ROLES)
    )


def require_access(request, manage: bool = False) -> Municipality:
    """The current municipality, when the user may read (with manage: edit) its law work."""
    municipality = tenancy.current_municipality(request)
    if not can_view(request.user, municipality):
        raise PermissionDenied("Du har inte behörighet till kommunens brottsförebyggande planering.")
    if manage and not can_manage(request.user, municipality):
        raise PermissionDenied(MANAGE_ONLY)
    return municipality


def get_for_user(request, queryset, pk: int, *, manage: bool = False):
    """One object of this app (or a plan activity) by id; another municipality's is a 404, a read-only
    role's write is a 403."""
    obj = tenancy.get_for_user_or_404(queryset, request.user, READ_ROLES, pk=pk)
    if manage and not can_manage(request.user, tenancy.municipality_id_of(obj)):
        raise PermissionDenied(MANAGE_ONLY)
    return obj


def get_public_contact(code: str):
    """The samordningsfunktion of a hosted municipality, for anyone (no login); 404 when it has none."""
    from .models import CoordinationFunction

    return get_object_or_404(
        CoordinationFunction.objects.select_related("municipality"), municipality__code=code
    )
