"""The one authorisation helper of the places app. Roles are per municipality (trygg.accounts.tenancy):

- admin, coordinator of the place's municipality: read places, create and edit them.
- unit editor, partner, reader: read.
- no role there: the place does not exist for the user (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from trygg.accounts import tenancy
from trygg.accounts.models import Role

from .models import Municipality, Place

READ_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
MANAGE_ROLES = (Role.ADMIN, Role.COORDINATOR)


def can_view_places(user, municipality: Municipality) -> bool:
    return user.is_authenticated and user.has_role_in(municipality, *READ_ROLES)


def can_manage_places(user, municipality: Municipality) -> bool:
    return user.is_authenticated and user.has_role_in(municipality, *MANAGE_ROLES)


def require_places_access(request, write: bool = False) -> Municipality:
    """The current municipality, when the user may read (or, with write, manage) its places."""
    municipality = tenancy.current_municipality(request)
    if municipality is None or not can_view_places(request.user, municipality):
        raise PermissionDenied("Du har inte behörighet att se platser.")
    if write and not can_manage_places(request.user, municipality):
        raise PermissionDenied("Endast samordnare och administratörer får ändra platser.")
    return municipality


def get_place_for_user(request, pk: int, write: bool = False) -> Place:
    """A place of one of the user's municipalities (404 otherwise); with write, the user must manage
    places in the place's own municipality (403 when they only read there)."""
    place = tenancy.get_for_user_or_404(
        Place.objects.select_related("municipality", "district"), request.user, READ_ROLES, pk=pk
    )
    if write and not can_manage_places(request.user, place.municipality):
        raise PermissionDenied("Endast samordnare och administratörer får ändra platser.")
    return place
