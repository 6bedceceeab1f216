"""Who may do what with statistics: the app's one public authorisation helper."""

from __future__ import annotations

from trygg.accounts.models import Role


def can_view(user) -> bool:
    """Every role except NONE (and anonymous) may read statistics."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_role(Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
    )


def can_import(user) -> bool:
    """Coordinators and administrators import files and enter local figures."""
    return bool(user is not None and user.is_authenticated and user.has_role(Role.ADMIN, Role.COORDINATOR))
