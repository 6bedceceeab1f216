import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.lib.sweden import municipalities

from .status_rules import LABELS, Status, derived_status

STATUS_CHOICES = [(s.value, LABELS[s]) for s in Status]


def official_name(municipality) -> str:
    """The municipality's name as it stands on a report's cover and in an export: "Kungälvs kommun",
    "Ale kommun" (from SCB's list; `Municipality.full_name` would say "Ales kommun")."""
    row = municipalities().get(municipality.code)
    return row["municipality_name"] if row else municipality.full_name


class Program(models.Model):
    """The municipality's overarching programme that a plan carries out (optional)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="programs", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=300)
    adopted_by = models.CharField(_("antaget av"), max_length=200, blank=True)
    adopted_on = models.DateField(_("antaget"), null=True, blank=True)
    diary_number = models.CharField(_("diarienummer"), max_length=100, blank=True)

    FREE_TEXT_FIELDS = {"name": "namnet", "adopted_by": "antaget av"}

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    slug = models.SlugField(unique=True)
    name = models.CharField(_("namn"), max_length=300)
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="plans", verbose_name=_("kommun")
    )
    period_start = models.PositiveSmallIntegerField(_("gäller från år"))
    period_end = models.PositiveSmallIntegerField(_("gäller till och med år"))
    adopted_by = models.CharField(_("antagen av"), max_length=200, blank=True)
    adopted_on = models.DateField(_("antagen"), null=True, blank=True)
    diary_number = models.CharField(_("diarienummer"), max_length=100, blank=True)
    # Publishing (trygg.publishing): the coordinator opts a plan in; until then it exists for no resident,
    # API client or open-data file. Set only through plans.actions.do_set_plan_published.
    published = models.BooleanField(_("publicerad för invånare"), default=False)

    FREE_TEXT_FIELDS = {"name": "namnet", "adopted_by": "antagen av"}

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="plan_period_in_order"
            )
        ]
        verbose_name = _("plan")
        verbose_name_plural = _("planer")

    def __str__(self) -> str:
        return self.name

    @property
    def owner_name(self) -> str:
        """The owning municipality's official name ("Kungälvs kommun")."""
        return official_name(self.municipality)


class Area(models.Model):
    """Delområde: a numbered part of a plan with its Beskrivning (safe Markdown)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)

    MUNICIPALITY_PATH = "plan__municipality"
    FREE_TEXT_FIELDS = {"title": "rubriken", "description": "beskrivningen"}

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="area_number_unique_in_plan")]
        verbose_name = _("delområde")
        verbose_name_plural = _("delområden")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Intervention(models.Model):
    """Insats: a group of activities within an area."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="interventions")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("rubrik"), max_length=300)

    MUNICIPALITY_PATH = "area__plan__municipality"
    FREE_TEXT_FIELDS = {"title": "rubriken"}

    class Meta:
        ordering = ["area", "number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="intervention_number_unique_in_area")
        ]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")

    def __str__(self) -> str:
        return self.title

    @property
    def name(self) -> str:
        """The title without the report's "Insats: " prefix, for places that already say "Insats"."""
        head, sep, rest = self.title.partition(":")
        return rest.strip() if sep and head.strip().lower() == "insats" else self.title


class ActivityQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(intervention__area__plan=plan)

    def for_unit(self, unit):
        return self.filter(units=unit)

    def for_user_units(self, user):
        return self.filter(units__in=user.units.all()).distinct()

    def political(self):
        return self.filter(political_assignment=True)

    def in_report_order(self):
        return self.order_by("intervention__area__number", "intervention__number", "order", "pk")


class Activity(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("aktivitet"), max_length=500)
    units = models.ManyToManyField(
        "accounts.Unit", blank=True, related_name="activities", verbose_name=_("ansvariga enheter")
    )
    planned_start = models.DateField(_("planerad start"), null=True, blank=True)
    planned_end = models.DateField(_("planerat slut"), null=True, blank=True)
    political_assignment = models.BooleanField(_("politiskt uppdrag"), default=False)
    political_reference = models.CharField(_("uppdragets referens"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = ActivityQuerySet.as_manager()

    MUNICIPALITY_PATH = "intervention__area__plan__municipality"
    FREE_TEXT_FIELDS = {"title": "aktivitetens namn", "political_reference": "uppdragets referens"}

    class Meta:
        ordering = ["intervention", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_start__isnull=True)
                | models.Q(planned_end__isnull=True)
                | models.Q(planned_start__lte=models.F("planned_end")),
                name="activity_dates_in_order",
            )
        ]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")

    def __str__(self) -> str:
        return self.title

    def derived_status(self, on, reported=None):
        return derived_status(
            self.planned_start, self.planned_end, on, Status(reported) if reported else None
        )


class FollowUp(models.Model):
    """Uppföljning: one follow-up of a plan for a year, with the report's texts."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="follow_ups")
    year = models.PositiveSmallIntegerField(_("år"))
    date = models.DateField(_("datum"))
    recipient = models.CharField(_("mottagare"), max_length=200, default="Kommunstyrelse")
    introduction = models.TextField(_("inledning"), blank=True)
    summary = models.TextField(_("sammanfattning"), blank=True)
    current_analysis = models.TextField(_("nulägesanalys"), blank=True)
    # Publishing: the year's statuses, report texts and report files are public once the coordinator
    # publishes the follow-up (in a published plan); a follow-up still being written stays internal.
    published = models.BooleanField(_("uppföljningen publicerad"), default=False)

    MUNICIPALITY_PATH = "plan__municipality"
    FREE_TEXT_FIELDS = {
        "recipient": "mottagaren",
        "introduction": "inledningen",
        "summary": "sammanfattningen",
        "current_analysis": "nulägesanalysen",
    }

    class Meta:
        ordering = ["plan", "-year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="one_follow_up_per_plan_year")]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return f"Uppföljning {self.year} {self.plan.name}"


class ActivityStatus(models.Model):
    """Status and comment of one activity in one follow-up. Written only through actions."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="statuses")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES)
    comment = models.TextField(_("kommentar"), blank=True)
    # Publishing: the comment is shown on the public plan page and in the API/open data only when set.
    comment_published = models.BooleanField(_("kommentaren publicerad"), default=False)
    updated_at = models.DateTimeField(_("uppdaterad"), auto_now=True)

    MUNICIPALITY_PATH = "follow_up__plan__municipality"
    FREE_TEXT_FIELDS = {"comment": "kommentaren"}

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "activity"], name="one_status_per_activity_follow_up"
            )
        ]
        verbose_name = _("aktivitetsstatus")
        verbose_name_plural = _("aktivitetsstatusar")

    def __str__(self) -> str:
        return f"{self.activity} – {self.get_status_display()}"


class StatusChange(models.Model):
    """History: who changed an activity's status or comment, when, from what to what."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="changes")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("ändrad"), auto_now_add=True)
    old_status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True)
    new_status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    old_comment = models.TextField(blank=True)
    new_comment = models.TextField(blank=True)
    source = models.CharField(_("källa"), max_length=20, default="web")  # web, import, demo

    MUNICIPALITY_PATH = "follow_up__plan__municipality"
    # History copies comments that were redacted when they were stored; declared so that a history row
    # written by any route is cleaned the same way (and a legacy unredacted comment is not copied on).
    FREE_TEXT_FIELDS = {"old_comment": "den tidigare kommentaren", "new_comment": "kommentaren"}

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["activity", "follow_up", "-changed_at"])]
        verbose_name = _("ändring")
        verbose_name_plural = _("ändringshistorik")

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.old_status or '–'} → {self.new_status}"
