"""Lägesbild: incidents, the category taxonomy, meetings, focus areas, actions and camera sites.

Incidents carry H3 cell ids at resolutions 7-9 as indexed integer columns, so counts per cell are a plain
GROUP BY on SQLite and PostgreSQL. An incident is drawn on the map only when its location is a point or a
named place; police events located at a municipality or county centroid are kept off the map.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.lib.pii import LAGESBILD_REASON

MAPPABLE_PRECISIONS = ("point", "place")
# Longest time window an incident may have: a longer one says nothing about when it happened.
INCIDENT_MAX_WINDOW = dt.timedelta(days=14)


class Category(models.Model):
    """Incident taxonomy shared by every municipality of the installation (seeded from the reference report
    by a data migration). Only installation administrators (superusers) edit it."""

    PERSONAL_DATA_REASON = LAGESBILD_REASON
    FREE_TEXT_FIELDS = {"name": "namnet", "description": "beskrivningen"}

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=60, unique=True)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    police_types = models.CharField(
        _("polisens händelsetyper"),
        max_length=500,
        blank=True,
        help_text=_(
            "Händelsetyper i polisens flöde som hör till kategorin, åtskilda med semikolon, "
            "t.ex. 'Misshandel; Misshandel, grov'."
        ),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")

    def __str__(self) -> str:
        return self.name

    def police_type_list(self) -> list[str]:
        return [t.strip() for t in self.police_types.split(";") if t.strip()]


class IncidentQuerySet(models.QuerySet):
    def overlapping(self, start: dt.datetime, end: dt.datetime):
        """Incidents whose time window [occurred_from, occurred_to] overlaps [start, end)."""
        return self.filter(
            Q(occurred_from__lt=end)
            & (Q(occurred_to__gte=start) | Q(occurred_to__isnull=True, occurred_from__gte=start))
        )

    def mappable(self):
        return self.filter(location_precision__in=MAPPABLE_PRECISIONS, h3_r9__isnull=False)

    def with_related(self):
        return self.select_related("municipality", "category", "place", "source_organisation", "reported_by")

    def in_area(self, place=None, district=None, cells_r9=()):
        return self.filter(area_condition(place, district, cells_r9))


def area_condition(place=None, district=None, cells_r9=()) -> Q:
    """Incidents at a place, in its neighbourhood cells (H3 r9), or in a district."""
    parts = []
    if place is not None:
        parts.append(Q(place=place))
    if cells_r9:
        parts.append(Q(h3_r9__in=sorted(cells_r9)))
    if district is not None:
        parts.append(Q(district=district))
    if not parts:
        raise ValueError("an area needs a place, cells or a district")
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return condition


class Incident(models.Model):
    class Precision(models.TextChoices):
        POINT = "point", _("Punkt")
        PLACE = "place", _("Namngiven plats (ungefärligt läge)")
        MUNICIPALITY = "municipality", _("Kommunnivå (visas inte på kartan)")
        COUNTY = "county", _("Länsnivå (visas inte på kartan)")
        NONE = "none", _("Utan läge (visas inte på kartan)")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Inrapporterad")
        POLISEN = "polisen", _("Polisens händelser")
        DEMO = "demo", _("Demodata")
        WALK = "trygghetsvandring", _("Trygghetsvandring")

    PERSONAL_DATA_REASON = LAGESBILD_REASON
    FREE_TEXT_FIELDS = {"description": "beskrivningen"}

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("kommun")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("kategori")
    )
    occurred_from = models.DateTimeField(_("inträffade från"), db_index=True)
    occurred_to = models.DateTimeField(_("inträffade till"), null=True, blank=True)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("plats"),
    )
    district = models.ForeignKey(
        "places.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("kommundel"),
    )
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    location_precision = models.CharField(_("lägesnoggrannhet"), max_length=20, choices=Precision.choices)
    h3_r7 = models.BigIntegerField(null=True, blank=True, db_index=True)
    h3_r8 = models.BigIntegerField(null=True, blank=True, db_index=True)
    h3_r9 = models.BigIntegerField(null=True, blank=True, db_index=True)
    source_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("källa (organisation)"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("rapporterad av"),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    redacted_kinds = models.CharField(_("borttagna personuppgifter"), max_length=200, blank=True)
    origin = models.CharField(_("ursprung"), max_length=20, choices=Origin.choices, default=Origin.MANUAL)
    external_id = models.CharField(_("externt id"), max_length=100, blank=True)
    external_url = models.URLField(_("länk"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("uppdaterad"), auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_from", "-pk"]
        constraints = [
            # One police event becomes one incident in every hosted municipality it falls in.
            models.UniqueConstraint(
                fields=["municipality", "external_id"],
                condition=~Q(external_id=""),
                name="incident_external_id_unique_in_municipality",
            ),
            models.CheckConstraint(
                condition=Q(occurred_to__isnull=True) | Q(occurred_to__gte=models.F("occurred_from")),
                name="incident_window_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["category", "occurred_from"]),
            # The lägesbild's filters: municipality and period first (every read), with id for the table's
            # keyset order; on PostgreSQL the columns that counts per cell and the overlap test need are
            # included, so those queries read the index only.
            models.Index(
                fields=["municipality", "occurred_from", "id"],
                include=["occurred_to", "location_precision", "h3_r7", "h3_r8", "h3_r9"],
                name="incident_municipality_time",
            ),
            models.Index(
                fields=["municipality", "category", "occurred_from"], name="incident_muni_category_time"
            ),
            models.Index(
                fields=["municipality", "source_organisation", "occurred_from"],
                name="incident_muni_source_time",
            ),
        ]
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")

    def __str__(self) -> str:
        return f"{self.category} {self.occurred_from:%Y-%m-%d}"

    @property
    def police_link(self) -> str:
        """The stored link, shown only when it is a page on polisen.se (checked again on display)."""
        from .polisen import police_link

        return police_link(self.external_url)

    @property
    def is_mappable(self) -> bool:
        return self.location_precision in MAPPABLE_PRECISIONS and self.lat is not None

    @property
    def occurred_until(self) -> dt.datetime:
        return self.occurred_to or self.occurred_from


class IncidentDataVersion(models.Model):
    """The lägesbild's data version per municipality: a counter and the time of the last change to its
    incidents. Database triggers (migration 0009) bump it on every insert, update and delete of an incident,
    whatever the path (do_* actions, bulk writes, QuerySet.update, retention, the admin shell), in the same
    transaction as the change. Caches of map data, table summaries and hotspot results are keyed on it, so
    reading it is one primary-key lookup instead of counting the incidents on every request.

    ``municipality_id`` is a plain column, not a foreign key: a municipality's incidents are deleted with it
    and their delete trigger would otherwise re-create the row of a municipality being deleted."""

    municipality_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("lägesbildens dataversion")
        verbose_name_plural = _("lägesbildens dataversioner")

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.version}"


class JointRecord(models.Model):
    """A record the partners keep together (meeting, focus area, action): any writer may change it, and it
    shows who created it. The organisation is stored, not looked up, so it stays right if the user later
    moves to another organisation. It belongs to one municipality."""

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    created_by_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av organisation"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def creator_label(self) -> str:
        """The creating organisation, else the creating user's name, else "" (demo data, imports).
        Expects created_by_organisation and created_by to be select_related on lists."""
        if self.created_by_organisation_id:
            return str(self.created_by_organisation)
        if self.created_by_id:
            return self.created_by.get_full_name() or self.created_by.get_username()
        return ""


class Meeting(JointRecord):
    class Kind(models.TextChoices):
        LST_WEEKLY = "lst_weekly", _("LST veckomöte")
        LST_BIWEEKLY = "lst_biweekly", _("LST varannan vecka")
        AGENCY_MONTHLY = "agency_monthly", _("Myndighetsgemensamt månadsmöte")

    PERSONAL_DATA_REASON = LAGESBILD_REASON
    FREE_TEXT_FIELDS = {"notes": "anteckningarna"}

    date = models.DateField(_("datum"))
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.LST_BIWEEKLY)
    organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="meetings",
        verbose_name=_("deltagande organisationer"),
    )
    units = models.ManyToManyField(
        "accounts.Unit", blank=True, related_name="meetings", verbose_name=_("deltagande enheter")
    )
    notes = models.TextField(_("anteckningar"), blank=True)
    # The brief's figures (period comparison, counts per place and category, hotspots), computed once and
    # read afterwards (brief.meeting_figures); recomputed by "Räkna om" or when the period changes.
    figures = models.JSONField(_("beräknade siffror"), null=True, blank=True, editable=False)
    figures_computed_at = models.DateTimeField(
        _("siffrorna beräknades"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("lägesbildsmöte")
        verbose_name_plural = _("lägesbildsmöten")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    def previous(self) -> Meeting | None:
        return (
            Meeting.objects.filter(municipality_id=self.municipality_id, date__lt=self.date)
            .order_by("-date", "-pk")
            .first()
        )


class FocusAreaQuerySet(models.QuerySet):
    def active_on(self, day: dt.date):
        return self.filter(start__lte=day, end__gt=day)


class FocusArea(JointRecord):
    """Fokusområde: a place or district plus a problem, agreed for some weeks at a meeting."""

    PERSONAL_DATA_REASON = LAGESBILD_REASON
    FREE_TEXT_FIELDS = {"problem": "problembeskrivningen"}

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focus_areas",
        verbose_name=_("beslutat vid möte"),
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focus_areas",
        verbose_name=_("plats"),
    )
    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focus_areas",
        verbose_name=_("kommundel"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focus_areas",
        verbose_name=_("problemkategori"),
    )
    problem = models.CharField(_("problem"), max_length=300)
    start = models.DateField(_("från"))
    weeks = models.PositiveSmallIntegerField(_("antal veckor"), default=4)
    end = models.DateField(_("till"), editable=False)  # start + weeks, kept for filtering in SQL
    # An area picked because its counts were high tends to fall back anyway (regression to the mean); the
    # effect check of its actions says so (effect.effect_check(chosen_for_high_counts=...)).
    chosen_for_high_counts = models.BooleanField(
        _("valdes för att händelserna var många"),
        default=False,
        help_text=_(
            "Kryssa i om området valdes ut för att det hade många händelser. Uppföljningen av åtgärder "
            "här varnar då för att en minskning delvis kan vara slumpens återgång."
        ),
    )

    objects = FocusAreaQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=False) | Q(district__isnull=False),
                name="focus_area_has_place_or_district",
            ),
        ]
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")

    def __str__(self) -> str:
        return f"{self.area_name}: {self.problem}"

    def save(self, *args, **kwargs):
        self.end = self.start + dt.timedelta(weeks=self.weeks)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"start", "weeks"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "end"}
        super().save(*args, **kwargs)

    @property
    def area_name(self) -> str:
        return self.place.name if self.place_id else (self.district.name if self.district_id else "")

    def is_active(self, on: dt.date) -> bool:
        return self.start <= on < self.end


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Action.Status.PLANNED, Action.Status.ONGOING])

    def overdue(self, on: dt.date):
        return self.open().filter(due_date__lt=on)

    def with_related(self):
        return self.select_related(
            "focus_area__place",
            "focus_area__district",
            "responsible_organisation",
            "responsible_unit",
            "plan_activity",
        )


class Action(JointRecord):
    """Åtgärd decided at a meeting, usually for a focus area."""

    PERSONAL_DATA_REASON = LAGESBILD_REASON
    FREE_TEXT_FIELDS = {"title": "rubriken", "description": "beskrivningen"}

    class Kind(models.TextChoices):
        GUARDS = "guards", _("Väktarinsats")
        ADULTS = "adults", _("Ökad vuxennärvaro")
        FIELD_WORK = "field_work", _("Fältarbete")
        LIGHTING = "lighting", _("Belysning")
        PRUNING = "pruning", _("Beskärning")
        INFORMATION = "information", _("Information/utskick")
        CAMERAS = "cameras", _("Kamerabevakning")
        OTHER = "other", _("Annat")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomförd")
        CANCELLED = "cancelled", _("Avbruten")

    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("fokusområde"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("beslutad vid möte"),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("åtgärd"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    responsible_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig organisation"),
    )
    responsible_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig enhet"),
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    plan_activity = models.ForeignKey(
        "plans.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="situation_actions",
        verbose_name=_("aktivitet i planen"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"])]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, on: dt.date) -> bool:
        return (
            self.status in (self.Status.PLANNED, self.Status.ONGOING)
            and bool(self.due_date)
            and (self.due_date < on)
        )


class CameraSite(models.Model):
    """A camera-surveillance site (trygghetskamera) and its permit/supervision status."""

    PERSONAL_DATA_REASON = LAGESBILD_REASON
    FREE_TEXT_FIELDS = {
        "name": "namnet",
        "area_description": "det bevakade området",
        "purpose": "ändamålet",
        "notes": "anteckningarna",
    }

    class PermitStatus(models.TextChoices):
        NOT_REQUIRED = "not_required", _("Tillståndsfri")
        APPLIED = "applied", _("Ansökan inlämnad")
        GRANTED = "granted", _("Tillstånd/beslut finns")
        UNDER_SUPERVISION = "supervision", _("Under tillsyn av IMY")
        PAUSED = "paused", _("Pausad")
        REMOVED = "removed", _("Avvecklad")

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="camera_sites", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=150)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="camera_sites",
        verbose_name=_("plats"),
    )
    area_description = models.CharField(_("bevakat område"), max_length=300, blank=True)
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    purpose = models.TextField(_("ändamål"))
    permit_status = models.CharField(_("tillståndsstatus"), max_length=20, choices=PermitStatus.choices)
    imy_reference = models.CharField(_("IMY:s diarienummer"), max_length=100, blank=True)
    imy_decision_date = models.DateField(_("IMY:s beslutsdatum"), null=True, blank=True)
    in_operation_since = models.DateField(_("i drift sedan"), null=True, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kameraplats")
        verbose_name_plural = _("kameraregister")

    def __str__(self) -> str:
        return self.name
