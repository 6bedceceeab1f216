"""Trygghetsvandringar: a walk (with its route as ordered stops), the findings recorded on it (category, the
Safetipin audit parameters scored 1–5, an overall feeling, photos) and the measures agreed for each finding.

Every row belongs to the walk's municipality (``MUNICIPALITY_PATH`` on the children). Writes go through
``trygg.walks.actions``; see docs/walks.md.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Why personal data is removed from a walk's texts (writes.clean_values shows it to the writer).
WALK_REASON = "personuppgifter hör inte hemma i protokollet från en trygghetsvandring."


class WalkQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Walk(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        DONE = "done", _("Genomförd")

    PERSONAL_DATA_REASON = WALK_REASON
    FREE_TEXT_FIELDS = {"title": "rubriken", "area": "området", "description": "bakgrunden"}

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="walks", verbose_name=_("kommun")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="walks",
        verbose_name=_("plats"),
        help_text=_("Den namngivna plats som vandringen utgår från, om det finns en."),
    )
    area = models.CharField(
        _("område"), max_length=200, blank=True, help_text=_("Området med egna ord, t.ex. gatorna som ingår.")
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(
        _("starttid"), null=True, blank=True, help_text=_("Vandringar görs helst när det är mörkt.")
    )
    organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="walks", verbose_name=_("deltagande organisationer")
    )
    units = models.ManyToManyField(
        "accounts.Unit", blank=True, related_name="walks", verbose_name=_("deltagande enheter")
    )
    description = models.TextField(_("bakgrund"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    published = models.BooleanField(
        _("publicera protokollet"),
        default=False,
        help_text=_(
            "Visa en offentlig sida utan inloggning med varje punkt, dess kategori och vad som händer med den."
        ),
    )
    demo = models.BooleanField(_("demodata"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("uppdaterad"), auto_now=True)

    objects = WalkQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("trygghetsvandring")
        verbose_name_plural = _("trygghetsvandringar")

    def __str__(self) -> str:
        return f"{self.title} {self.date:%Y-%m-%d}"

    @property
    def area_name(self) -> str:
        return self.area or (self.place.name if self.place_id else "")

    def route_geojson(self, stops=None) -> dict | None:
        """The route as a GeoJSON LineString through the stops in order (None with fewer than two)."""
        stops = list(self.stops.all()) if stops is None else stops
        coords = [[s.lon, s.lat] for s in stops]
        if len(coords) < 2:
            return None
        return {"type": "LineString", "coordinates": coords}


class Stop(models.Model):
    """A point of the route, in order. Chosen by staff, or made from a resident's submission in a dialog
    campaign (trygg.dialog calls actions.do_add_stop)."""

    MUNICIPALITY_PATH = "walk__municipality"
    PERSONAL_DATA_REASON = WALK_REASON
    FREE_TEXT_FIELDS = {"note": "anteckningen"}

    walk = models.ForeignKey(Walk, on_delete=models.CASCADE, related_name="stops", verbose_name=_("vandring"))
    order = models.PositiveSmallIntegerField(_("ordning"))
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plats"),
    )
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        ordering = ["walk", "order", "pk"]
        verbose_name = _("stopp")
        verbose_name_plural = _("stopp")

    def __str__(self) -> str:
        return f"{self.order}. {self.place.name if self.place_id else f'{self.lat:.5f}, {self.lon:.5f}'}"


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def _score(label: str, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=SCORE_VALIDATORS, help_text=help_text
    )


# The Safetipin audit parameters: (field, Swedish label). 1 = bad, 5 = good; blank = not assessed.
PARAMETERS = [
    ("lighting", _("Belysning")),
    ("openness", _("Överblick")),
    ("visibility", _("Synlighet")),
    ("people", _("Människor")),
    ("security", _("Bevakning")),
    ("walk_path", _("Gångväg")),
    ("public_transport", _("Kollektivtrafik")),
    ("gender_usage", _("Kvinnor och barn i rörelse")),
]
PARAMETER_NAMES = [name for name, _label in PARAMETERS]


class Finding(models.Model):
    class Category(models.TextChoices):
        LIGHTING = "lighting", _("Belysning")
        VEGETATION = "vegetation", _("Skymmande växtlighet")
        VANDALISM = "vandalism", _("Skadegörelse/klotter")
        LITTER = "litter", _("Nedskräpning")
        TRAFFIC = "traffic", _("Osäker trafiksituation")
        MAINTENANCE = "maintenance", _("Behov av underhåll")
        UNSAFE_PLACE = "unsafe_place", _("Otrygg plats")
        OTHER = "other", _("Annat")

    MUNICIPALITY_PATH = "walk__municipality"
    PERSONAL_DATA_REASON = WALK_REASON
    FREE_TEXT_FIELDS = {"description": "beskrivningen"}

    walk = models.ForeignKey(
        Walk, on_delete=models.CASCADE, related_name="findings", verbose_name=_("vandring")
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plats"),
    )
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    lighting = _score(_("belysning"), _("Finns det tillräckligt med ljus för att se omgivningen?"))
    openness = _score(_("överblick"), _("Kan man se vad som finns framför och runt en?"))
    visibility = _score(
        _("synlighet"), _("Kan andra se en, t.ex. från fönster, butiker eller förbipasserande?")
    )
    people = _score(_("människor"), _("Finns det människor i närheten?"))
    security = _score(_("bevakning"), _("Finns det väktare, polis eller annan bevakning?"))
    walk_path = _score(_("gångväg"), _("Finns en gångväg eller trottoar i gott skick?"))
    public_transport = _score(_("kollektivtrafik"), _("Hur nära och tillgänglig är kollektivtrafiken?"))
    gender_usage = _score(_("kvinnor och barn i rörelse"), _("Syns kvinnor och barn på platsen?"))
    feeling = _score(_("upplevd trygghet"), _("1 = mycket otryggt, 5 = mycket tryggt."))
    description = models.TextField(_("beskrivning"), blank=True)
    incident = models.OneToOneField(
        "situation.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="walk_finding",
        verbose_name=_("händelse i lägesbilden"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("uppdaterad"), auto_now=True)

    class Meta:
        ordering = ["walk", "pk"]
        verbose_name = _("fynd")
        verbose_name_plural = _("fynd")

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.location_label})"

    @property
    def location_label(self) -> str:
        if self.place_id:
            return self.place.name
        if self.lat is not None:
            return f"{self.lat:.5f}, {self.lon:.5f}"
        return "–"

    def scores(self) -> list[tuple[str, int | None]]:
        return [(str(label), getattr(self, name)) for name, label in PARAMETERS]


class Photo(models.Model):
    """A photo of a finding, re-encoded as JPEG without any metadata (photos.process_photo). Stored in the
    database, not in MEDIA_ROOT: it is served only through a view that checks the municipality, backups hold
    it with its finding, and a second server needs no shared file system."""

    MUNICIPALITY_PATH = "finding__walk__municipality"

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="photos", verbose_name=_("fynd")
    )
    data = models.BinaryField(null=True, editable=False)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["finding", "pk"]
        verbose_name = _("foto")
        verbose_name_plural = _("foton")

    def __str__(self) -> str:
        return f"Foto {self.width}×{self.height}"


class MeasureQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Measure.Status.PLANNED, Measure.Status.ONGOING])

    def overdue(self, on: dt.date):
        return self.open().filter(due_date__lt=on)


class Measure(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Avbruten")

    MUNICIPALITY_PATH = "finding__walk__municipality"
    PERSONAL_DATA_REASON = WALK_REASON
    FREE_TEXT_FIELDS = {"title": "åtgärden", "comment": "kommentaren"}

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="measures", verbose_name=_("fynd")
    )
    title = models.CharField(_("åtgärd"), max_length=300)
    responsible_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="walk_measures",
        verbose_name=_("ansvarig enhet"),
    )
    responsible_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="walk_measures",
        verbose_name=_("ansvarig samverkanspart"),
    )
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    comment = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["finding", "pk"]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")

    def __str__(self) -> str:
        return self.title

    @property
    def responsible(self) -> str:
        parts = [str(x) for x in (self.responsible_unit, self.responsible_organisation) if x is not None]
        return ", ".join(parts) or "–"

    def is_overdue(self, on: dt.date) -> bool:
        return (
            self.due_date is not None
            and self.due_date < on
            and self.status in (self.Status.PLANNED, self.Status.ONGOING)
        )
