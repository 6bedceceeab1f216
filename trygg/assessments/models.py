"""The law's cycle (lag 2023:196): kartläggning/lägesbild → orsaksanalys → åtgärdsplan → uppföljning, and the
coordination duties (samverkansöverenskommelser, medborgarlöften, forums, samordningsfunktion).

Every row belongs to one municipality: ``municipality`` on the roots (Assessment, ActionPlan, Agreement,
CitizenPromise, Forum, CouncilReport, CoordinationFunction), ``MUNICIPALITY_PATH`` on the children. Writes go
through ``trygg.assessments.actions``; see docs/assessments.md.

The chain problem → cause → measure → plan activity → yearly status:
- ``Cause.problem`` (CASCADE: a cause is part of its problem), ``Cause.parent`` (the tree);
- ``Measure.cause`` is PROTECT: a cause (or problem) with measures cannot be deleted;
- ``Measure.activity`` is SET_NULL: when the plan's activity is deleted, the adopted measure stays with the
  visible state "Aktiviteten finns inte längre i planen" (:attr:`Measure.link_state`);
- a measure linked to an activity is not deleted (actions.do_delete refuses), so no activity loses its measure.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

REASON = "kartläggningen och åtgärdsplanen är allmänna handlingar och ska inte innehålla personuppgifter."


class AssessmentQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(completed_on__isnull=False)


class Assessment(models.Model):
    """Kartläggning/lägesbild for a period (4 §): crime, its extent and consequences, other relevant
    information, and the analysis of both."""

    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {
        "title": "rubriken",
        "extent": "omfattningen",
        "consequences": "konsekvenserna",
        "other_information": "den övriga informationen",
        "analysis": "analysen",
    }

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("kommun")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    period_start = models.DateField(_("perioden börjar"))
    period_end = models.DateField(_("perioden slutar"))
    completed_on = models.DateField(
        _("lägesbilden fastställd"),
        null=True,
        blank=True,
        help_text=_("Datum då kartläggningen var klar. Den ska förnyas minst vartannat år (6 §)."),
    )
    extent = models.TextField(_("brottslighetens omfattning"), blank=True)
    consequences = models.TextField(_("konsekvenser"), blank=True)
    other_information = models.TextField(_("annan relevant information"), blank=True)
    analysis = models.TextField(_("analys"), blank=True)
    demo = models.BooleanField(_("demodata"), default=False, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="assessment_period_in_order",
            )
        ]
        verbose_name = _("kartläggning")
        verbose_name_plural = _("kartläggningar")

    def __str__(self) -> str:
        return self.title


class Source(models.Model):
    """A source the kartläggning used or left out, with the reason (Brå asks for both)."""

    MUNICIPALITY_PATH = "assessment__municipality"
    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"name": "namnet", "reason": "motiveringen"}

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(_("källa"), max_length=200)
    used = models.BooleanField(_("används"), default=True)
    reason = models.TextField(_("motivering"), blank=True, help_text=_("Varför källan används eller inte."))

    class Meta:
        ordering = ["-used", "name"]
        verbose_name = _("källa")
        verbose_name_plural = _("källor")

    def __str__(self) -> str:
        return self.name


class Contribution(models.Model):
    """A partner's contribution: the police's own lägesbild, the housing company's, school, social services."""

    MUNICIPALITY_PATH = "assessment__municipality"
    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"title": "rubriken", "text": "texten"}

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("samverkanspart"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    document_url = models.URLField(
        _("länk till dokumentet"),
        blank=True,
        help_text=_("Var hela dokumentet finns, t.ex. i diariet eller på partens webbplats."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bidrag från samverkanspart")
        verbose_name_plural = _("bidrag från samverkansparter")

    def __str__(self) -> str:
        return self.title


class Evidence(models.Model):
    """Underlag: a link to real data in Trygg with a short interpretation. When the linked row is deleted the
    link becomes empty and :attr:`is_broken` says so."""

    class Kind(models.TextChoices):
        INDICATOR = "indicator", _("Statistik (nyckeltal)")
        INCIDENTS = "incidents", _("Händelser i lägesbilden")
        WALK = "walk", _("Fynd från trygghetsvandring")
        DIALOG = "dialog", _("Digital dialog")
        CONTRIBUTION = "contribution", _("Samverkanspartens bidrag")
        TEXT = "text", _("Annat underlag (text)")

    MUNICIPALITY_PATH = "assessment__municipality"
    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"title": "rubriken", "interpretation": "tolkningen"}

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("typ av underlag"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    interpretation = models.TextField(_("tolkning"), blank=True)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nyckeltal"),
    )
    category = models.ForeignKey(
        "situation.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("händelsekategori"),
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plats"),
    )
    date_from = models.DateField(_("från och med"), null=True, blank=True)
    date_to = models.DateField(_("till och med"), null=True, blank=True)
    finding = models.ForeignKey(
        "walks.Finding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fynd"),
    )
    campaign = models.ForeignKey(
        "dialog.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dialog"),
    )
    contribution = models.ForeignKey(
        Contribution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("bidrag"),
    )

    LINK_FIELD = {
        Kind.INDICATOR: "indicator",
        Kind.WALK: "finding",
        Kind.DIALOG: "campaign",
        Kind.CONTRIBUTION: "contribution",
    }

    class Meta:
        ordering = ["pk"]
        verbose_name = _("underlag")
        verbose_name_plural = _("underlag")

    def __str__(self) -> str:
        return self.title

    @property
    def is_broken(self) -> bool:
        """The linked data no longer exists (it was deleted after the evidence was recorded)."""
        name = self.LINK_FIELD.get(self.kind)
        return bool(name) and getattr(self, f"{name}_id") is None


class Consultation(models.Model):
    """A meeting with the police or other partners during the kartläggning (samråd)."""

    MUNICIPALITY_PATH = "assessment__municipality"
    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"participants": "deltagarna", "notes": "anteckningarna"}

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="consultations")
    date = models.DateField(_("datum"))
    participants = models.TextField(
        _("deltagare"),
        help_text=_("Organisationer och funktioner, t.ex. Polisen (kommunpolis), Kungälvsbostäder."),
    )
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")

    def __str__(self) -> str:
        return f"Möte {self.date:%Y-%m-%d}"


class Problem(models.Model):
    """A prioritised problem of the kartläggning."""

    MUNICIPALITY_PATH = "assessment__municipality"
    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {
        "title": "rubriken",
        "description": "beskrivningen",
        "area": "området",
        "group": "gruppen",
    }

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="problems")
    rank = models.PositiveSmallIntegerField(_("prioritet"), help_text=_("1 = högst prioriterat."))
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plats"),
    )
    area = models.CharField(_("område"), max_length=200, blank=True)
    group = models.CharField(_("berörd grupp"), max_length=200, blank=True)
    evidence = models.ManyToManyField(
        Evidence, blank=True, related_name="problems", verbose_name=_("underlag")
    )

    class Meta:
        ordering = ["assessment", "rank", "pk"]
        verbose_name = _("problem")
        verbose_name_plural = _("problem")

    def __str__(self) -> str:
        return f"{self.rank}. {self.title}"


class Cause(models.Model):
    """A cause in the problem's cause tree (problem → causes → underlying causes)."""

    class Factor(models.TextChoices):
        RISK = "risk", _("Riskfaktor")
        PROTECTIVE = "protective", _("Skyddsfaktor")

    class Level(models.TextChoices):
        INDIVIDUAL = "individual", _("Individ")
        RELATIONSHIP = "relationship", _("Relation")
        AREA = "area", _("Område/situation")
        SOCIETY = "society", _("Samhälle")

    class Side(models.TextChoices):
        OFFENDER = "offender", _("Gärningsperson")
        TARGET = "target", _("Offer/mål")
        PLACE = "place", _("Plats")

    MUNICIPALITY_PATH = "problem__assessment__municipality"
    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"title": "orsaken", "description": "beskrivningen", "sources": "källorna"}

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="causes")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("underliggande orsak till"),
    )
    title = models.CharField(_("orsak"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    factor = models.CharField(_("faktor"), max_length=12, choices=Factor.choices, default=Factor.RISK)
    level = models.CharField(_("nivå"), max_length=14, choices=Level.choices)
    side = models.CharField(_("brottstriangeln"), max_length=10, choices=Side.choices)
    sources = models.TextField(_("källor"), blank=True)

    class Meta:
        ordering = ["problem", "pk"]
        verbose_name = _("orsak")
        verbose_name_plural = _("orsaker")

    def __str__(self) -> str:
        return self.title


class ActionPlan(models.Model):
    """Åtgärdsplan (5 §) decided from an assessment; adopting it records the decision and links a plan in
    trygg.plans whose activities carry the measures' yearly follow-up."""

    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"title": "rubriken", "decided_by": "beslutande organ"}

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="action_plans", verbose_name=_("kommun")
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="action_plans", verbose_name=_("kartläggning")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    period_start = models.PositiveSmallIntegerField(_("gäller från år"))
    period_end = models.PositiveSmallIntegerField(_("gäller till och med år"))
    decided_by = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    diary_number = models.CharField(_("diarienummer"), max_length=100, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_plans",
        verbose_name=_("plan för uppföljning"),
    )
    demo = models.BooleanField(_("demodata"), default=False, editable=False)

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="action_plan_period_in_order",
            )
        ]
        verbose_name = _("åtgärdsplan")
        verbose_name_plural = _("åtgärdsplaner")

    def __str__(self) -> str:
        return self.title

    @property
    def adopted(self) -> bool:
        return self.decided_on is not None


class Goal(models.Model):
    """A goal of the action plan for one problem."""

    MUNICIPALITY_PATH = "action_plan__municipality"
    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"text": "målet", "measured_by": "hur målet mäts"}

    action_plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="goals", verbose_name=_("problem")
    )
    text = models.TextField(_("mål"))
    measured_by = models.TextField(_("hur målet mäts"), blank=True)

    class Meta:
        ordering = ["problem__rank", "pk"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return self.text[:80]


class Measure(models.Model):
    """Åtgärd chosen to affect a cause; on adoption it becomes (or is linked to) an activity of the plan."""

    class Kind(models.TextChoices):
        SOCIAL = "social", _("Social")
        SITUATIONAL = "situational", _("Situationell")

    class Term(models.TextChoices):
        SHORT = "short", _("Kort sikt")
        LONG = "long", _("Lång sikt")

    class LinkState(models.TextChoices):
        DRAFT = "draft", _("Inte antagen ännu")
        LINKED = "linked", _("Aktivitet i planen")
        REMOVED = "removed", _("Aktiviteten finns inte längre i planen")

    MUNICIPALITY_PATH = "action_plan__municipality"
    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {
        "title": "åtgärden",
        "expected_effect": "den förväntade effekten",
        "owner_other": "ansvarig",
        "follow_up_method": "uppföljningen",
    }

    action_plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="measures")
    cause = models.ForeignKey(
        Cause, on_delete=models.PROTECT, related_name="measures", verbose_name=_("orsak")
    )
    title = models.CharField(_("åtgärd"), max_length=500)
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    expected_effect = models.TextField(_("förväntad effekt"), blank=True)
    term = models.CharField(_("sikt"), max_length=5, choices=Term.choices, default=Term.SHORT)
    owner = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig enhet"),
    )
    owner_other = models.CharField(
        _("annan ansvarig"), max_length=200, blank=True, help_text=_("T.ex. Polisen eller Kungälvsbostäder.")
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("slut"), null=True, blank=True)
    follow_up_method = models.TextField(_("så följs åtgärden upp"), blank=True)
    activity = models.OneToOneField(
        "plans.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment_measure",
        verbose_name=_("aktivitet i planen"),
    )
    adopted = models.BooleanField(_("antagen"), default=False, editable=False)

    class Meta:
        ordering = ["cause__problem__rank", "cause", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(start__lte=models.F("end")),
                name="measure_dates_in_order",
            )
        ]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")

    def __str__(self) -> str:
        return self.title

    @property
    def link_state(self) -> str:
        if self.activity_id is not None:
            return self.LinkState.LINKED
        return self.LinkState.REMOVED if self.adopted else self.LinkState.DRAFT

    @property
    def link_state_label(self) -> str:
        return str(self.LinkState(self.link_state).label)


# --- Coordination (8–12 §) and reporting (13 §) ----------------------------------------------------------


class InForceQuerySet(models.QuerySet):
    def in_force(self, day: dt.date):
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class Agreement(models.Model):
    """Samverkansöverenskommelse (9 §): parties, purposes, areas, period, signed by, revision date."""

    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"title": "rubriken", "parties": "parterna", "purposes": "syftena", "areas": "områdena",
                        "signed_by": "undertecknad av"}  # fmt: skip

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="agreements", verbose_name=_("kommun")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    parties = models.TextField(_("parter"))
    purposes = models.TextField(_("syften"))
    areas = models.TextField(
        _("områden"), help_text=_("De områden samverkan gäller (minst syften och områden ska anges).")
    )
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    signed_by = models.CharField(_("undertecknad av"), max_length=300, blank=True)
    signed_on = models.DateField(_("undertecknad"), null=True, blank=True)
    revision_on = models.DateField(_("ska revideras senast"), null=True, blank=True)

    objects = InForceQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("samverkansöverenskommelse")
        verbose_name_plural = _("samverkansöverenskommelser")

    def __str__(self) -> str:
        return self.title


class CitizenPromise(models.Model):
    """Medborgarlöfte: the public side of the agreement with the police."""

    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"title": "rubriken", "promises": "löftena", "follow_up": "uppföljningen"}

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="citizen_promises",
        verbose_name=_("kommun"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("samverkansöverenskommelse"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    promises = models.TextField(_("löften"))
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    follow_up = models.TextField(_("uppföljning"), blank=True)

    objects = InForceQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")

    def __str__(self) -> str:
        return self.title


class Forum(models.Model):
    """The strategic council the municipality leads (10 §) and other forums and networks."""

    class Kind(models.TextChoices):
        STRATEGIC = "strategic", _("Strategiskt råd")
        NETWORK = "network", _("Nätverk")
        GROUP = "group", _("Samverkansgrupp")

    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"name": "namnet", "description": "beskrivningen", "led_by": "vem som leder"}

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="forums", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.NETWORK)
    description = models.TextField(_("beskrivning"), blank=True)
    led_by = models.CharField(_("leds av"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forum")

    def __str__(self) -> str:
        return self.name


class ForumMember(models.Model):
    """A member of a forum: an organisation or unit and the function it sends (no names of persons)."""

    MUNICIPALITY_PATH = "forum__municipality"
    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"role": "funktionen"}

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet"),
    )
    role = models.CharField(
        _("funktion"), max_length=200, blank=True, help_text=_("T.ex. kommunpolis, rektor.")
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")

    def __str__(self) -> str:
        who = self.unit or self.organisation
        return f"{who} ({self.role})" if who and self.role else str(who or self.role)


class ForumMeeting(models.Model):
    MUNICIPALITY_PATH = "forum__municipality"
    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"notes": "anteckningarna"}

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("datum"))
    participant_count = models.PositiveSmallIntegerField(_("antal deltagare"), null=True, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("möte i forum")
        verbose_name_plural = _("möten i forum")

    def __str__(self) -> str:
        return f"{self.forum} {self.date:%Y-%m-%d}"


class CouncilReport(models.Model):
    """Kommunstyrelsens rapport till fullmäktige om det brottsförebyggande arbetet (13 §)."""

    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"subject": "ärendet", "body": "organet"}

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="council_reports",
        verbose_name=_("kommun"),
    )
    date = models.DateField(_("datum"))
    body = models.CharField(_("rapporterat till"), max_length=200, default="Kommunfullmäktige")
    subject = models.CharField(_("ärende"), max_length=300)
    diary_number = models.CharField(_("diarienummer"), max_length=100, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("rapport till fullmäktige")
        verbose_name_plural = _("rapporter till fullmäktige")

    def __str__(self) -> str:
        return f"{self.subject} ({self.date:%Y-%m-%d})"


class CoordinationFunction(models.Model):
    """Samordningsfunktionen (11–12 §): its contact details are public (a functional address, no person)."""

    PERSONAL_DATA_REASON = REASON
    FREE_TEXT_FIELDS = {"name": "namnet", "unit": "enheten", "description": "beskrivningen"}

    municipality = models.OneToOneField(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="coordination_function",
        verbose_name=_("kommun"),
    )
    name = models.CharField(_("namn"), max_length=200, default="Brottsförebyggande samordning")
    unit = models.CharField(_("organisatorisk placering"), max_length=200, blank=True)
    email = models.EmailField(_("e-post (funktionsbrevlåda)"), blank=True)
    phone = models.CharField(_("telefon (växel eller funktion)"), max_length=40, blank=True)
    address = models.CharField(_("adress"), max_length=300, blank=True)
    description = models.TextField(_("vad samordningen gör"), blank=True)

    class Meta:
        verbose_name = _("samordningsfunktion")
        verbose_name_plural = _("samordningsfunktioner")

    def __str__(self) -> str:
        return self.name
