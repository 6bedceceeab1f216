"""The municipality, its districts (kommundelar) and named places (Vita fläcken, Komarken …).

Geometries are GeoJSON dicts (WGS84) in JSON columns: the app needs point-in-polygon and display only, so no
spatial database is required. Points carry H3 cell ids at a few resolutions as indexed integer columns.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.lib.pii import LAGESBILD_REASON


class Municipality(models.Model):
    """A municipality hosted by this installation: the owner of every domain row (plans, places, incidents,
    meetings, local indicators …). Its SCB kommunkod is also the code of its statistics Region
    (``trygg.indicators.regions.region_for``). Users hold a role per municipality (accounts.Membership)."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)  # short name as in Polisen's feed: "Kungälv"
    county_code = models.CharField(_("länskod"), max_length=2, blank=True)
    county_name = models.CharField(_("län"), max_length=100, blank=True)
    # Null until the boundary is loaded (manage.py load_municipality); the lägesbild map needs it.
    geometry = models.JSONField(_("gräns (GeoJSON)"), null=True, blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def full_name(self) -> str:
        """The official name ("Ale kommun", "Kungälvs kommun", "Stockholms stad") from SCB's list."""
        from trygg.lib.sweden import municipalities

        row = municipalities().get(self.code)
        if row and row.get("municipality_name"):
            return row["municipality_name"]
        return f"{self.name}s kommun" if not self.name.endswith("s") else f"{self.name} kommun"


class MunicipalityNotLoaded(LookupError):
    """A municipality has no boundary in the database yet (run load_municipality)."""


class District(models.Model):
    """Kommundel. The geometry may be approximate (the demo data derives it from district centres)."""

    PERSONAL_DATA_REASON = LAGESBILD_REASON
    FREE_TEXT_FIELDS = {"name": "namnet"}

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="districts")
    name = models.CharField(_("namn"), max_length=100)
    geometry = models.JSONField(_("avgränsning (GeoJSON)"), null=True, blank=True)
    approximate = models.BooleanField(_("ungefärlig avgränsning"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="district_name_unique_in_municipality"
            )
        ]
        verbose_name = _("kommundel")
        verbose_name_plural = _("kommundelar")

    def __str__(self) -> str:
        return self.name


class PlaceQuerySet(models.QuerySet):
    def for_municipality(self, municipality):
        return self.filter(municipality=municipality)

    def active(self):
        return self.filter(active=True)


class Place(models.Model):
    """A named place with approximate coordinates; incidents may be reported at it."""

    PERSONAL_DATA_REASON = LAGESBILD_REASON
    FREE_TEXT_FIELDS = {"name": "namnet", "aliases": "de andra namnen", "description": "beskrivningen"}

    class Kind(models.TextChoices):
        AREA = "area", _("Område")
        SQUARE = "square", _("Torg")
        SCHOOL = "school", _("Skola")
        TRANSIT = "transit", _("Hållplats/resecentrum")
        STREET = "street", _("Gata/väg")
        SHOPPING = "shopping", _("Handel/centrum")
        PARKING = "parking", _("Parkering/uppställningsplats")
        LANDMARK = "landmark", _("Sevärdhet")
        OTHER = "other", _("Annan")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="places")
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("kommundel"),
    )
    name = models.CharField(_("namn"), max_length=150)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.AREA)
    aliases = models.CharField(
        _("andra namn"),
        max_length=300,
        blank=True,
        help_text=_("Kommaseparerade namn som platsen också kallas, t.ex. i polisens händelser."),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    lat = models.FloatField(_("latitud (WGS84)"))
    lon = models.FloatField(_("longitud (WGS84)"))
    h3_r7 = models.BigIntegerField(db_index=True)
    h3_r8 = models.BigIntegerField(db_index=True)
    h3_r9 = models.BigIntegerField(db_index=True)
    active = models.BooleanField(_("aktiv"), default=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="place_name_unique_in_municipality")
        ]
        verbose_name = _("plats")
        verbose_name_plural = _("platser")

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        """The name and its aliases, for matching free text."""
        return [self.name, *(a.strip() for a in self.aliases.split(",") if a.strip())]

    def cell(self, resolution: int) -> int:
        return getattr(self, f"h3_r{resolution}")
