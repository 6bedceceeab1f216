"""The one authorisation helper of the digital dialog's staff side. Views call these; nothing else decides
access. The public pages (public_views.py) need no account and show only what is published.

| role (in the campaign's municipality) | read campaigns, submissions, analysis | create campaigns, moderate, export, turn into focus area / measure |
|---------------------------------------|----------------------------------------|------------------------------------------------|
| admin, coordinator                    | yes                                    | yes                                            |
| unit editor, partner, reader          | campaigns, analysis, approved submissions | no                                          |
| no role there                         | the object does not exist for the user (404)                                          |

Submissions not yet approved (and rejected ones) hold unmoderated free text and photos: only those who moderate
(admin, coordinator) see them, in the moderation queue, the case list, a submission's page and its photo.
Exports hold unmoderated free text too, so they need the manage role.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from trygg.accounts import tenancy
from trygg.accounts.models import Role
from trygg.places.models import Municipality

from .models import Campaign, Submission

READ_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER)
MANAGE_ROLES = (Role.ADMIN, Role.COORDINATOR)
READ_ONLY = "Du kan läsa dialogen men inte ändra i den. Det gör samordnare och administratörer."
UNMODERATED = (
    "Synpunkten är inte granskad och godkänd. Ogranskade synpunkter visas bara för samordnare och "
    "administratörer, som granskar dem."
)


def can_view(user, municipality) -> bool:
    return user.is_authenticated and user.has_role_in(municipality, *READ_ROLES)


def can_manage(user, municipality) -> bool:
    return user.is_authenticated and user.has_role_in(municipality, *MANAGE_ROLES)


def require_dialog_access(request, manage: bool = False) -> Municipality:
    """The current municipality, when the user may read (with manage: run) its dialog."""
    municipality = tenancy.current_municipality(request)
    if municipality is None or not can_view(request.user, municipality):
        raise PermissionDenied("Du har inte behörighet till den digitala dialogen.")
    if manage and not can_manage(request.user, municipality):
        raise PermissionDenied(READ_ONLY)
    return municipality


def get_campaign_for_user(request, pk: int, manage: bool = False) -> Campaign:
    campaign = tenancy.get_for_user_or_404(
        Campaign.objects.select_related("municipality"), request.user, READ_ROLES, pk=pk
    )
    if manage and not can_manage(request.user, campaign.municipality_id):
        raise PermissionDenied(READ_ONLY)
    return campaign


def get_submission_for_user(request, pk: int, manage: bool = False) -> Submission:
    submission = tenancy.get_for_user_or_404(
        Submission.objects.select_related("campaign__municipality", "place"), request.user, READ_ROLES, pk=pk
    )
    moderator = can_manage(request.user, submission.campaign.municipality_id)
    if manage and not moderator:
        raise PermissionDenied(READ_ONLY)
    if not moderator and submission.status != Submission.Status.APPROVED:
        raise PermissionDenied(UNMODERATED)
    return submission
