from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A municipality or a partner (samverkanspart): police, housing company, public transport …"""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommun")
        POLICE = "police", _("Polis")
        HOUSING = "housing", _("Bostadsbolag")
        TRANSPORT = "transport", _("Kollektivtrafik")
        RESCUE = "rescue", _("Räddningstjänst")
        SECURITY = "security", _("Bevakningsföretag")
        ASSOCIATION = "association", _("Förening")
        OTHER = "other", _("Annan")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    FREE_TEXT_FIELDS = {"name": "namnet"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An organisational unit of a municipality (sektor, enhet) that can own activities."""

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="units", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )

    FREE_TEXT_FIELDS = {"name": "namnet"}

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unit_name_unique_in_municipality")
        ]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    NONE = "", _("Ingen behörighet")
    ADMIN = "admin", _("Administratör")
    COORDINATOR = "coordinator", _("Samordnare")
    UNIT_EDITOR = "unit_editor", _("Enhetsredaktör")
    PARTNER = "partner", _("Samverkanspart")
    READER = "reader", _("Läsare")


class User(AbstractUser):
    """A person with a role per municipality (Membership). A superuser is administrator everywhere."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="users"
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="users", verbose_name=_("enheter"))
    # The identity provider's stable subject ("sub") for an account that logs in with single sign-on; such an
    # account is matched only by it, never by e-mail, so a local account cannot be taken over through SSO.
    oidc_subject = models.CharField(
        _("inloggnings-id hos identitetsleverantören"), max_length=255, null=True, blank=True, unique=True
    )

    @cached_property
    def roles_by_municipality(self) -> dict[int, str]:
        """{municipality id: role}; every municipality is ADMIN for a superuser. One query per request."""
        if not (self.is_authenticated and self.is_active):
            return {}
        if self.is_superuser:
            from trygg.places.models import Municipality

            return dict.fromkeys(Municipality.objects.values_list("pk", flat=True), Role.ADMIN)
        return dict(self.memberships.values_list("municipality_id", "role"))

    def role_in(self, municipality) -> str:
        """The user's role in a municipality (object or id); Role.NONE when they have none there."""
        key = getattr(municipality, "pk", municipality)
        return self.roles_by_municipality.get(key, Role.NONE)

    def has_role_in(self, municipality, *roles: str) -> bool:
        return self.role_in(municipality) in roles

    def municipality_ids(self, *roles: str) -> list[int]:
        """Ids of the municipalities where the user holds one of `roles` (any role when none are given)."""
        return sorted(
            m for m, role in self.roles_by_municipality.items() if role and (not roles or role in roles)
        )

    def has_role_anywhere(self, *roles: str) -> bool:
        return bool(self.municipality_ids(*roles))


class Membership(models.Model):
    """A user's role in one municipality. A police officer of a lokalpolisområde is partner in each of its
    municipalities; a coordinator of a kommunalförbund is coordinator in each member municipality."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("kommun")
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices[1:])

    class Meta:
        ordering = ["user", "municipality"]
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="one_role_per_user_municipality")
        ]
        verbose_name = _("behörighet")
        verbose_name_plural = _("behörigheter")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} i {self.municipality}"


class AuditEventQuerySet(models.QuerySet):
    """The audit trail only grows: bulk updates and deletes are refused in code as they are by the database
    grant in production (docs/security.md). The one sanctioned rewrite is :meth:`AuditEvent.scrub_changes`."""

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("Granskningsloggen kan inte ändras.")

    def delete(self):
        raise AuditTrailIsAppendOnly("Granskningsloggen kan inte raderas.")


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    """One row per audited event: a write of shared data (through trygg.accounts.writes), a login, a failed
    login, a logout, an export or a report download. Rows are only ever inserted; the actor's name is stored
    so the row keeps saying who it was after the account is deactivated."""

    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("vem")
    )
    actor_name = models.CharField(_("vem"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommun"),
    )
    at = models.DateTimeField(_("när"), auto_now_add=True)
    action = models.CharField(_("händelse"), max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("vad"), max_length=300)
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["municipality", "at"], name="audit_municipality_at"),
            models.Index(fields=["at"], name="audit_at"),
        ]
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningslogg")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding and list(kwargs.get("update_fields") or ()) != ["changes"]:
            # Only the old/new values may be rewritten, to scrub personal data (scrub_changes).
            raise AuditTrailIsAppendOnly("Granskningsloggen kan inte ändras.")
        if self.actor is not None and not self.actor_name:
            self.actor_name = actor_label(self.actor)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Granskningsloggen kan inte raderas.")

    def scrub_changes(self, changes: dict) -> None:
        """Replace the stored old/new values (personal data a moderator removed from the row they describe).
        The only update the audit table allows; the database grant allows it on this column alone."""
        self.changes = changes
        self.save(update_fields=["changes"])


def actor_label(user) -> str:
    """How an actor is shown in the audit trail: "Full Name (username)", or the username."""
    full = user.get_full_name().strip()
    return (f"{full} ({user.username})" if full else user.username)[:300]
