"""Single sign-on with the municipality's identity provider (OpenID Connect: Entra ID, Keycloak; Freja eID and
SITHS come through such a provider) via mozilla-django-oidc.

- An account is matched by the provider's subject (``sub``), never by e-mail, so a local account cannot be
  taken over; a new one is created on the first login.
- Roles come from the provider's groups: TRYGG_OIDC_GROUPS maps a group to (kommunkod, role). The groups are
  authoritative: at every login the account's memberships become exactly what its groups give (a group
  removed in the provider removes the role), and the change is audited. Nobody without a mapped group gets in.
- The ID token's audience must be this client, its issuer OIDC_OP_ISSUER when set; the provider does the
  second factor, so such a session needs no TOTP code in Trygg.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .audit import record_event
from .models import Membership, Role, User

log = logging.getLogger("trygg.accounts.auth")

# When several groups give roles in the same municipality, the strongest wins.
ROLE_STRENGTH = [Role.ADMIN, Role.COORDINATOR, Role.UNIT_EDITOR, Role.PARTNER, Role.READER]


def roles_from_claims(claims: dict) -> dict[str, str]:
    """{kommunkod: role} that the claims' groups give, the strongest role per municipality."""
    groups = claims.get(settings.TRYGG_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    roles: dict[str, str] = {}
    for group in groups:
        if not isinstance(group, str) or group not in settings.TRYGG_OIDC_GROUPS:
            continue
        code, role = settings.TRYGG_OIDC_GROUPS[group]
        if code not in roles or ROLE_STRENGTH.index(role) < ROLE_STRENGTH.index(roles[code]):
            roles[code] = role
    return roles


def sync_memberships(user: User, roles: dict[str, str]) -> None:
    """Make the user's memberships exactly `roles` ({kommunkod: role}); one audit row when anything changed."""
    from trygg.places.models import Municipality

    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=list(roles))}
    for code in sorted(set(roles) - set(municipalities)):
        log.warning("Inloggningstjänsten gav en roll i kommun %s, som inte finns i Trygg", code)
    before = sorted(f"{c}:{r}" for c, r in user.memberships.values_list("municipality__code", "role"))
    user.memberships.exclude(municipality__code__in=list(municipalities)).delete()
    for code, municipality in municipalities.items():
        Membership.objects.update_or_create(
            user=user, municipality=municipality, defaults={"role": roles[code]}
        )
    after = sorted(f"{c}:{r}" for c, r in user.memberships.values_list("municipality__code", "role"))
    if before != after:
        record_event(
            None,
            "auth.sso_roles",
            what=user.username,
            actor_name="Inloggningstjänsten",
            object_type=user._meta.label_lower,
            object_id=str(user.pk),
            changes={"memberships": [before, after]},
        )
    user.__dict__.pop("roles_by_municipality", None)


class TryggOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        """A token that fails a check is a failed login (back to the login page), not a 400 page."""
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as exc:
            log.warning("Inloggning via inloggningstjänsten nekad: %s", exc)
            return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was not issued for this client")
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims (Entra ID puts the groups there) completed by the userinfo endpoint's; both
        must name the same subject."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo and ID token name different subjects")
        return {**payload, **userinfo}

    def verify_claims(self, claims) -> bool:
        if not claims.get("sub"):
            return False
        if not roles_from_claims(claims):
            log.warning("Inloggning via inloggningstjänsten nekad: ingen grupp ger en roll i Trygg")
            return False
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(oidc_subject=claims["sub"])

    def _username(self, claims) -> str:
        wanted = str(claims.get("preferred_username") or claims.get("email") or f"sso-{claims['sub']}")[:140]
        username, n = wanted, 1
        while self.UserModel.objects.filter(username=username).exists():
            n += 1
            username = f"{wanted}-{n}"
        return username

    @transaction.atomic
    def create_user(self, claims):
        user = self.UserModel(
            username=self._username(claims),
            email=claims.get("email", ""),
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
            oidc_subject=claims["sub"],
        )
        user.set_unusable_password()
        user.save()
        sync_memberships(user, roles_from_claims(claims))
        return user

    @transaction.atomic
    def update_user(self, user, claims):
        changed = []
        for field, claim in (("email", "email"), ("first_name", "given_name"), ("last_name", "family_name")):
            value = str(claims.get(claim) or "")[:150]
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        sync_memberships(user, roles_from_claims(claims))
        return user


def _enabled() -> None:
    if not settings.TRYGG_OIDC_ENABLED:
        raise Http404("Inloggning via inloggningstjänst är inte aktiverad.")


def start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider (404 when single sign-on is not configured)."""
    _enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


def callback(request: HttpRequest) -> HttpResponse:
    _enabled()
    return OIDCAuthenticationCallbackView.as_view()(request)
