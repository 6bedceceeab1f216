"""Regions, indicators and observations: the statistics every report and chart reads.

An Observation is one value of an Indicator for a Region, a period and a breakdown. Its natural key
(indicator, region, period, breakdown) is a plain unique constraint, so importers upsert on it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    def municipalities(self):
        return self.filter(kind=Region.Kind.MUNICIPALITY)

    def counties(self):
        return self.filter(kind=Region.Kind.COUNTY)

    def police_regions(self):
        return self.filter(kind=Region.Kind.POLICE_REGION)

    def comparison_for(self, region: Region):
        """The regions a municipality is usually compared with: itself, its län, its polisregion, riket."""
        codes = [region.code, "00"]
        codes += [r.code for r in (region.county, region.police_region) if r is not None]
        return self.filter(code__in=codes)


class Region(models.Model):
    """Geography of an observation. Codes follow SCB (kommun "1482", län "14", riket "00");
    polisregion codes are Trygg's own ("PR-VAST"). See regions.py for the mapping of other sources' codes."""

    class Kind(models.TextChoices):
        RIKET = "riket", _("Riket")
        POLICE_REGION = "polisregion", _("Polisregion")
        COUNTY = "lan", _("Län")
        MUNICIPALITY = "kommun", _("Kommun")

    code = models.CharField(_("kod"), max_length=16, unique=True)
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=100)
    short_name = models.CharField(_("kort namn"), max_length=100, blank=True)
    county = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("län"),
        limit_choices_to={"kind": "lan"},
    )
    police_region = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("polisregion"),
        limit_choices_to={"kind": "polisregion"},
    )
    # Peer group for comparisons: the population size class (regions.SIZE_CLASSES), filled from imported
    # population by do_update_region_groups(); blank until then.
    group = models.CharField(_("kommungrupp"), max_length=60, blank=True)
    population = models.PositiveIntegerField(_("folkmängd"), null=True, blank=True)
    population_period = models.CharField(_("folkmängd avser"), max_length=20, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self) -> str:
        return self.short_name or self.name


class IndicatorQuerySet(models.QuerySet):
    def local(self):
        return self.filter(is_local=True)

    def national(self):
        """The shared catalogue (Kolada, SCB, Brå and the demo series): no municipality owns them."""
        return self.filter(municipality__isnull=True)

    def visible_in(self, municipality):
        """What a municipality's users see: the shared catalogue and that municipality's own local figures."""
        owner = getattr(municipality, "pk", municipality)
        return self.filter(models.Q(municipality__isnull=True) | models.Q(municipality_id=owner))


# Local indicators' codes start with this; national sources never use it, so a municipality's local codes
# and the shared catalogue's codes cannot clash (codes are unique per municipality, and nationally).
LOCAL_PREFIX = "LOKAL."


class Indicator(models.Model):
    """A measured quantity with unit and source: a Kolada KPI, an SCB table content, a Brå series, a local count.

    National indicators (municipality NULL) are shared by every municipality of the installation; a local
    indicator (is_local) belongs to one municipality and only its users see it."""

    FREE_TEXT_FIELDS = {"title": "namnet", "description": "beskrivningen", "source": "källan"}

    class Unit(models.TextChoices):
        COUNT = "antal", _("antal")
        PER_100K = "per_100k", _("per 100 000 invånare")
        PER_1000 = "per_1000", _("per 1 000 invånare")
        PERCENT = "procent", _("procent")
        INDEX = "index", _("index")
        RANK = "rang", _("rangplats")
        OTHER = "annan", _("annan enhet")

    code = models.CharField(_("kod"), max_length=80, db_index=True)
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_indicators",
        verbose_name=_("kommun (lokalt nyckeltal)"),
    )
    title = models.CharField(_("titel"), max_length=300)
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    source = models.CharField(_("källa"), max_length=200, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    # None when direction has no meaning (population) or is not known.
    higher_is_better = models.BooleanField(_("högre är bättre"), null=True, blank=True)
    # Names of the breakdown dimensions the indicator is published with, e.g. ["kön"] or ["brottskategori"].
    breakdowns = models.JSONField(_("uppdelningar"), default=list, blank=True)
    is_local = models.BooleanField(_("lokalt nyckeltal"), default=False)
    # Whether small counts must be protected here (secondary_suppression.protect): local and sensitive figures
    # (social services, local police figures) yes; statistics their source already publishes (Brå, Kolada,
    # SCB) no. None (a row an import created): by kind, local yes, national no; see `needs_protection`.
    sensitive = models.BooleanField(
        _("känsliga uppgifter"),
        null=True,
        blank=True,
        help_text=_(
            "Lokala uppgifter som ingen annan publicerar (socialtjänst, polisens lokala siffror): små tal "
            "döljs då även där de annars kunde räknas fram ur en summa, andra delar eller en andel. Brås, "
            "Koladas och SCB:s statistik är redan publicerad av källan och behöver inte detta."
        ),
    )
    # Kolada publishes NTU margins as separate KPIs (N07657 is the margin of N07609); importing the margin
    # KPI also fills Observation.margin of this target.
    margin_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="margin_indicators",
        verbose_name=_("osäkerhetstal för"),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(municipality__isnull=True),
                name="indicators_national_code_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"], name="indicators_local_code_unique_in_municipality"
            ),
            models.CheckConstraint(
                condition=models.Q(is_local=True, municipality__isnull=False)
                | models.Q(is_local=False, municipality__isnull=True),
                name="indicators_local_has_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_count(self) -> bool:
        return self.unit == self.Unit.COUNT

    @property
    def needs_protection(self) -> bool:
        """Secondary suppression applies: the flag, or by kind when unset (local yes, national no)."""
        return self.is_local if self.sensitive is None else self.sensitive


class ObservationQuerySet(models.QuerySet):
    def for_indicator(self, code: str):
        return self.filter(indicator__code=code)

    def totals(self):
        return self.filter(breakdown="")

    def with_values(self):
        return self.filter(status=Observation.Status.OK, value__isnull=False)


class Observation(models.Model):
    """One value. A missing or suppressed value keeps value NULL and says why in status; zero is a value.

    Values of a local indicator belong to the indicator's municipality; national values are shared."""

    MUNICIPALITY_PATH = "indicator__municipality"

    class Status(models.TextChoices):
        OK = "ok", _("värde")
        MISSING = "missing", _("uppgift saknas")
        SUPPRESSED = "suppressed", _("sekretess/för osäker")

    # Observation is the one big table (national imports of ~300k rows). Two choices keep bulk imports fast:
    # - no single-column FK indexes: the natural-key constraint leads with indicator, the index below with region;
    # - no database-level FK constraints (db_constraint=False): PostgreSQL checks them with one trigger per row
    #   (2 × 300k deferred checks took longer than the COPY itself). Integrity instead: every writer resolves
    #   ids while holding row locks on the indicators and regions it writes (importers/writer.py), deletes go
    #   through the ORM (CASCADE / PROTECT below; test_models covers both).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", db_index=False, db_constraint=False
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="observations", db_index=False, db_constraint=False
    )
    # "2023", pooled survey years "2021–2022", months "2026M04"; start/end years sort and filter.
    period = models.CharField(_("period"), max_length=20)
    period_start = models.PositiveSmallIntegerField(_("första år"))
    period_end = models.PositiveSmallIntegerField(_("sista år"))
    # Normalised breakdown key: "brottskategori=Våldsbrott;kön=K" (keys sorted); "" is the total.
    breakdown = models.CharField(_("uppdelning"), max_length=255, blank=True, default="")
    value = models.FloatField(_("värde"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OK)
    preliminary = models.BooleanField(_("preliminär"), default=False)
    margin = models.FloatField(_("felmarginal"), null=True, blank=True)
    ci_low = models.FloatField(_("konfidensintervall, nedre"), null=True, blank=True)
    ci_high = models.FloatField(_("konfidensintervall, övre"), null=True, blank=True)
    imported_at = models.DateTimeField(_("importerad"))

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "region", "period_start", "period", "breakdown"]
        verbose_name = _("observation")
        verbose_name_plural = _("observationer")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "period", "breakdown"],
                name="indicators_observation_natural_key",
            ),
            models.CheckConstraint(
                condition=models.Q(status="ok", value__isnull=False) | ~models.Q(status="ok"),
                name="indicators_observation_ok_has_value",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "indicator", "period_start"], name="indicators_obs_region_idx")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.region.code} {self.period} {self.breakdown or 'totalt'}"


class ImportJob(models.Model):
    """One import of a file, run in the background; the import page shows its progress. A job belongs to the
    municipality it was started in: only that municipality's users see it (local figures go to it)."""

    # The file name is the user's; the message quotes cells of the file (a bad value, an unknown region).
    FREE_TEXT_FIELDS = {"original_name": "filnamnet", "message": "meddelandet"}

    class Kind(models.TextChoices):
        JSONSTAT = "jsonstat", _("PxWeb JSON-stat (SCB m.fl.)")
        PX = "px", _("PX-fil (PC-Axis)")
        BRA = "bra", _("Brå-export (CSV)")
        KOLADA = "kolada", _("Kolada API-svar (JSON)")
        LOCAL = "local", _("Lokala nyckeltal (CSV-mall)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    kind = models.CharField(_("typ av fil"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("fil"), upload_to="indicator_imports/%Y/")
    original_name = models.CharField(_("filnamn"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    message = models.TextField(_("meddelande"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rader lästa"), default=0)
    created_count = models.PositiveIntegerField(_("nya observationer"), default=0)
    updated_count = models.PositiveIntegerField(_("uppdaterade observationer"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("importjobb")
        verbose_name_plural = _("importjobb")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
