"""The one authorisation helper of the places app.

- admin, coordinator: read places, create and edit them.
- unit editor, partner, reader: read.
- no role: no access.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from trygg.accounts.models import Role

from .models import Place

READ_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
MANAGE_ROLES = (Role.ADMIN, Role.COORDINATOR)


def can_view_places(user) -> bool:
    return user.is_authenticated and user.has_role(*READ_ROLES)


def can_manage_places(user) -> bool:
    return user.is_authenticated and user.has_role(*MANAGE_ROLES)


def require_places_access(request, write: bool = False) -> None:
    if write and not can_manage_places(request.user):
        raise PermissionDenied("Endast samordnare och administratörer får ändra platser.")
    if not can_view_places(request.user):
        raise PermissionDenied("Du har inte behörighet att se platser.")


def get_place_for_user(request, pk: int, write: bool = False) -> Place:
    require_places_access(request, write=write)
    return get_object_or_404(Place.objects.select_related("municipality", "district"), pk=pk)
