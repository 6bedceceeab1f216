"""API tokens for partners and other systems (the read API, trygg.publishing.api).

A token acts with one role in one municipality: it reads what a user with that role there reads (unpublished
plans, internal comments, lägesbild aggregates without small-count suppression for the roles that see single
incidents) and, like anyone, what is published elsewhere. Only a SHA-256 digest of the token is stored; the
token itself is shown once, when it is created (tokens are long random strings, so a plain digest suffices:
there is nothing to brute-force that a salt would protect).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Role

TOKEN_PREFIX = "trygg_"  # noqa: S105 (a visible prefix, not a secret)
# Roles a token may carry: read roles only (the API never writes).
TOKEN_ROLES = [
    (Role.COORDINATOR.value, Role.COORDINATOR.label),
    (Role.PARTNER.value, Role.PARTNER.label),
    (Role.READER.value, Role.READER.label),
]


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("kommun")
    )
    name = models.CharField(
        _("namn"), max_length=200, help_text=_("Vem eller vilket system nyckeln är till.")
    )
    role = models.CharField(_("behörighet"), max_length=20, choices=TOKEN_ROLES)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, so that an administrator can tell tokens apart; not a secret.
    hint = models.CharField(_("början av nyckeln"), max_length=16, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    FREE_TEXT_FIELDS = {"name": "namnet"}

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
