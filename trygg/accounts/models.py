from django.contrib.auth.models import AbstractUser
from django.db import models
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

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An organisational unit of the municipality (sektor, enhet) that can own activities."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )

    class Meta:
        ordering = ["name"]
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
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.NONE, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="users"
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="users", verbose_name=_("enheter"))

    @property
    def effective_role(self) -> str:
        if self.is_superuser:
            return Role.ADMIN
        return self.role

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.effective_role in roles


class AuditEvent(models.Model):
    """Audit trail of edits to shared data that have no history of their own (e.g. report texts)."""

    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningslogg")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
