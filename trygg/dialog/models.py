"""The digital dialog (digital trygghetsvandring): a municipality's campaign asks residents where they feel
unsafe; each resident's anonymous answer is a Submission.

A submission is an allmän handling, so it holds only what the analysis needs: where (a point, a named place
or a description in words), why (the campaign's categories), when (time of day, weekday or weekend), an
optional text, optional age group and gender, an optional photo (re-encoded, no EXIF). Never a name, an IP
address, a user agent or the exact time of submission (only the date). See docs/dialog.md.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DIALOG_REASON = "en synpunkt är en allmän handling och ska inte innehålla personuppgifter."

# The category set a campaign chooses from (slug -> Swedish label), after the map forms Swedish
# municipalities use (Alvesta, Svedala, Staffanstorp). Slugs are stable: exports and analysis use them.
CATEGORIES: dict[str, str] = {
    "belysning": "Dålig belysning",
    "vaxtlighet": "Skymmande växtlighet",
    "skadegorelse": "Skadegörelse eller klotter",
    "nedskrapning": "Nedskräpning",
    "trafik": "Osäker trafiksituation",
    "underhall": "Behov av underhåll",
    "ensligt": "Enslig plats, få människor i rörelse",
    "otrygg_plats": "Otrygg plats av annat skäl",
}
DEFAULT_CATEGORIES = list(CATEGORIES)


class CampaignQuerySet(models.QuerySet):
    def open_on(self, day: dt.date):
        return self.filter(starts__lte=day, ends__gte=day)


class Campaign(models.Model):
    """A time-boxed question to the residents of one municipality, within an area (default: the whole
    municipality)."""

    PERSONAL_DATA_REASON = DIALOG_REASON
    FREE_TEXT_FIELDS = {"title": "rubriken", "question": "frågan"}

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.CASCADE,
        related_name="dialog_campaigns",
        verbose_name=_("kommun"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    question = models.TextField(_("fråga till invånarna"), max_length=2000)
    starts = models.DateField(_("öppnar"))
    ends = models.DateField(_("stänger"))
    # GeoJSON (Multi)Polygon in WGS84; null = the municipality's boundary.
    area = models.JSONField(_("område (GeoJSON)"), null=True, blank=True)
    categories = models.JSONField(_("kategorier"), default=list)
    publish_comments = models.BooleanField(
        _("publicera godkända kommentarer"),
        default=False,
        help_text=_("Godkända fritextkommentarer visas på den offentliga resultatsidan, utan plats och tid."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts", "-pk"]
        verbose_name = _("dialogkampanj")
        verbose_name_plural = _("dialogkampanjer")

    def __str__(self) -> str:
        return self.title

    def is_open(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.starts <= day <= self.ends

    def area_geometry(self) -> dict | None:
        return self.area or self.municipality.geometry

    def category_choices(self) -> list[tuple[str, str]]:
        return [(slug, CATEGORIES[slug]) for slug in self.categories if slug in CATEGORIES]


class SubmissionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Submission.Status.APPROVED)

    def pending(self):
        return self.filter(status=Submission.Status.PENDING)


class Submission(models.Model):
    """One resident's anonymous answer to a campaign. No name, IP address or user agent, by design."""

    MUNICIPALITY_PATH = "campaign__municipality"
    PERSONAL_DATA_REASON = DIALOG_REASON
    FREE_TEXT_FIELDS = {"text": "texten", "location_text": "platsbeskrivningen"}
    TEXT_MAX = 2000

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på granskning")
        APPROVED = "approved", _("Godkänd")
        REJECTED = "rejected", _("Avvisad")

    class LocationKind(models.TextChoices):
        POINT = "point", _("Punkt i kartan")
        PLACE = "place", _("Plats ur listan")
        DESCRIBED = "described", _("Beskriven i ord")

    class TimeOfDay(models.TextChoices):
        DAY = "dag", _("Dag")
        EVENING = "kvall", _("Kväll")
        NIGHT = "natt", _("Natt")

    class DayType(models.TextChoices):
        WEEKDAY = "vardag", _("Vardag")
        WEEKEND = "helg", _("Helg")
        BOTH = "bada", _("Både vardag och helg")

    class AgeGroup(models.TextChoices):
        UNDER_16 = "u16", _("Under 16 år")
        A16_24 = "16-24", _("16–24 år")
        A25_44 = "25-44", _("25–44 år")
        A45_64 = "45-64", _("45–64 år")
        A65 = "65+", _("65 år eller äldre")

    class Gender(models.TextChoices):
        WOMAN = "kvinna", _("Kvinna")
        MAN = "man", _("Man")
        OTHER = "annat", _("Annat")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    receipt = models.CharField(_("kvittonummer"), max_length=12, unique=True)
    submitted_on = models.DateField(_("inkom"))  # the date only: the exact time adds nothing but tracking
    location_kind = models.CharField(_("platsangivelse"), max_length=10, choices=LocationKind.choices)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plats"),
    )
    location_text = models.CharField(_("platsbeskrivning"), max_length=300, blank=True)
    h3_r7 = models.BigIntegerField(null=True, blank=True)
    h3_r8 = models.BigIntegerField(null=True, blank=True, db_index=True)
    h3_r9 = models.BigIntegerField(null=True, blank=True)
    categories = models.JSONField(_("kategorier"), default=list)
    time_of_day = models.CharField(_("tid på dygnet"), max_length=5, choices=TimeOfDay.choices)
    day_type = models.CharField(_("vardag eller helg"), max_length=6, choices=DayType.choices)
    text = models.TextField(_("text"), max_length=TEXT_MAX, blank=True)
    age_group = models.CharField(_("åldersgrupp"), max_length=5, choices=AgeGroup.choices, blank=True)
    gender = models.CharField(_("kön"), max_length=6, choices=Gender.choices, blank=True)
    photo = models.FileField(_("foto"), upload_to="dialog/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    redacted_kinds = models.CharField(max_length=200, blank=True)  # kinds of personal data removed
    text_redacted_by_moderator = models.BooleanField(default=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["campaign", "status"])]
        verbose_name = _("synpunkt")
        verbose_name_plural = _("synpunkter")

    def __str__(self) -> str:
        return f"Synpunkt {self.receipt}"

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    def category_labels(self) -> list[str]:
        return [CATEGORIES.get(slug, slug) for slug in self.categories]

    def where(self) -> str:
        """A short Swedish description of the location, for lists and exports."""
        if self.place_id is not None:
            return self.place.name
        if self.location_text:
            return self.location_text
        if self.has_point:
            return f"{self.lat:.5f}, {self.lon:.5f}".replace(".", ",")
        return ""
