"""Writes of the publishing app: API tokens. Publishing a plan, a follow-up or a comment is a plans action
(``plans.actions.do_set_plan_published`` and friends), since those flags live on the plan's rows."""

from __future__ import annotations

import secrets

from django.utils import timezone

from trygg.accounts import writes
from trygg.accounts.models import Role
from trygg.accounts.writes import Written

from .models import TOKEN_PREFIX, TOKEN_ROLES, ApiToken, token_digest


class PublishingError(ValueError):
    """A write was refused; the message is Swedish and meant for the user."""


def do_create_api_token(municipality, name: str, role: str, *, acting_user) -> tuple[Written, str]:
    """A new token for a partner or system: returns the written row and the token itself, which is shown
    once and never stored (only its digest is). A coordinator may not hand out more than their own role."""
    if role not in {value for value, _ in TOKEN_ROLES}:
        raise PublishingError("Välj en behörighet för nyckeln.")
    if not (name or "").strip():
        raise PublishingError("Skriv vem eller vilket system nyckeln är till.")
    if acting_user is not None and not acting_user.has_role_in(municipality, Role.ADMIN, Role.COORDINATOR):
        raise PublishingError("Endast samordnare och administratörer får skapa API-nycklar.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    values = {
        "municipality": municipality,
        "name": name.strip(),
        "role": role,
        "digest": token_digest(raw),
        "hint": raw[: len(TOKEN_PREFIX) + 4],
        "created_by": acting_user if getattr(acting_user, "pk", None) else None,
    }
    try:
        written = writes.create(ApiToken, values, acting_user=acting_user)
    except writes.WriteError as exc:
        raise PublishingError(str(exc)) from None
    return written, raw


def do_revoke_api_token(token: ApiToken, *, acting_user) -> Written:
    """Revoke a token: from now on it is refused (401). Revoking twice changes nothing."""
    if token.revoked_at is not None:
        return writes.update(token, {}, acting_user=acting_user)
    return writes.update(token, {"revoked_at": timezone.now()}, acting_user=acting_user)
