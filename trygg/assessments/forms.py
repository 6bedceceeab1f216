"""Forms of the law's cycle. Every choice of a related row is limited to the municipality (and, where it
matters, to the same kartläggning or problem); the actions check it again."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone

from trygg.accounts.models import Organisation, Unit
from trygg.indicators.models import Indicator
from trygg.places.models import Place
from trygg.plans.models import Activity, Plan

from .models import (
    ActionPlan,
    Agreement,
    Assessment,
    Cause,
    CitizenPromise,
    Consultation,
    Contribution,
    CoordinationFunction,
    CouncilReport,
    Evidence,
    Forum,
    ForumMeeting,
    ForumMember,
    Goal,
    Measure,
    Problem,
    Source,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScopedForm(forms.ModelForm):
    """A model form that knows the municipality and the parent row it belongs to."""

    def __init__(self, *args, municipality, parent=None, **kwargs):
        self.municipality = municipality
        self.parent = parent
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE
        self.scope()

    def scope(self) -> None:
        pass

    def m2m(self) -> dict | None:
        return None

    def clean(self):
        data = super().clean()
        start = data.get("period_start") or data.get("valid_from") or data.get("start")
        end = data.get("period_end") or data.get("valid_to") or data.get("end")
        if start is not None and end is not None and type(start) is type(end) and start > end:
            raise forms.ValidationError("Slutet kan inte ligga före början.")
        return data


class AssessmentForm(ScopedForm):
    class Meta:
        model = Assessment
        fields = [
            "title",
            "period_start",
            "period_end",
            "completed_on",
            "extent",
            "consequences",
            "other_information",
            "analysis",
        ]


class SourceForm(ScopedForm):
    class Meta:
        model = Source
        fields = ["name", "used", "reason"]


class HttpsURLField(forms.URLField):
    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class ContributionForm(ScopedForm):
    class Meta:
        model = Contribution
        fields = ["organisation", "title", "text", "document_url"]
        field_classes = {"document_url": HttpsURLField}


class ConsultationForm(ScopedForm):
    class Meta:
        model = Consultation
        fields = ["date", "participants", "notes"]


class EvidenceForm(ScopedForm):
    class Meta:
        model = Evidence
        fields = [
            "kind",
            "title",
            "interpretation",
            "indicator",
            "category",
            "place",
            "date_from",
            "date_to",
            "finding",
            "campaign",
            "contribution",
        ]

    def scope(self) -> None:
        from trygg.dialog.models import Campaign
        from trygg.walks.models import Finding

        m = self.municipality
        self.fields["indicator"].queryset = Indicator.objects.visible_in(m)
        self.fields["place"].queryset = Place.objects.filter(municipality=m)
        self.fields["finding"].queryset = Finding.objects.filter(walk__municipality=m).select_related("walk")
        self.fields["campaign"].queryset = Campaign.objects.filter(municipality=m)
        assessment = self.parent if isinstance(self.parent, Assessment) else self.instance.assessment
        self.fields["contribution"].queryset = Contribution.objects.filter(assessment=assessment)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needed = Evidence.LINK_FIELD.get(kind)
        if needed and not data.get(needed):
            self.add_error(needed, "Välj vilket underlag som avses.")
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "Slutdatumet kan inte ligga före startdatumet.")
        return data


class ProblemForm(ScopedForm):
    class Meta:
        model = Problem
        fields = ["rank", "title", "description", "place", "area", "group", "evidence"]
        widgets = {"evidence": forms.CheckboxSelectMultiple}

    def scope(self) -> None:
        assessment = self.parent if isinstance(self.parent, Assessment) else self.instance.assessment
        self.fields["place"].queryset = Place.objects.filter(municipality=self.municipality)
        self.fields["evidence"].queryset = Evidence.objects.filter(assessment=assessment)

    def m2m(self) -> dict:
        return {"evidence": self.cleaned_data.get("evidence") or []}


class CauseForm(ScopedForm):
    class Meta:
        model = Cause
        fields = ["parent", "title", "description", "factor", "level", "side", "sources"]

    def scope(self) -> None:
        problem = self.parent if isinstance(self.parent, Problem) else self.instance.problem
        qs = Cause.objects.filter(problem=problem)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = qs
        self.fields["parent"].label = "Underliggande orsak till"
        self.fields["parent"].help_text = "Lämna tomt för en direkt orsak till problemet."


class ActionPlanForm(ScopedForm):
    class Meta:
        model = ActionPlan
        fields = ["assessment", "title", "period_start", "period_end"]

    def scope(self) -> None:
        self.fields["assessment"].queryset = Assessment.objects.filter(municipality=self.municipality)


class GoalForm(ScopedForm):
    class Meta:
        model = Goal
        fields = ["problem", "text", "measured_by"]

    def scope(self) -> None:
        plan = self.parent if isinstance(self.parent, ActionPlan) else self.instance.action_plan
        self.fields["problem"].queryset = Problem.objects.filter(assessment=plan.assessment)


class MeasureForm(ScopedForm):
    class Meta:
        model = Measure
        fields = [
            "cause",
            "title",
            "kind",
            "expected_effect",
            "term",
            "owner",
            "owner_other",
            "start",
            "end",
            "follow_up_method",
        ]

    def scope(self) -> None:
        plan = self.parent if isinstance(self.parent, ActionPlan) else self.instance.action_plan
        self.fields["cause"].queryset = Cause.objects.filter(
            problem__assessment=plan.assessment
        ).select_related("problem")
        self.fields["cause"].label_from_instance = (
            lambda c: f"{c.problem.rank}. {c.problem.title} → {c.title}"
        )
        self.fields["owner"].queryset = Unit.objects.filter(municipality=self.municipality)


class AgreementForm(ScopedForm):
    class Meta:
        model = Agreement
        fields = [
            "title",
            "parties",
            "purposes",
            "areas",
            "valid_from",
            "valid_to",
            "signed_by",
            "signed_on",
            "revision_on",
        ]


class CitizenPromiseForm(ScopedForm):
    class Meta:
        model = CitizenPromise
        fields = ["agreement", "title", "promises", "valid_from", "valid_to", "follow_up"]

    def scope(self) -> None:
        self.fields["agreement"].queryset = Agreement.objects.filter(municipality=self.municipality)


class ForumForm(ScopedForm):
    class Meta:
        model = Forum
        fields = ["name", "kind", "description", "led_by"]


class ForumMemberForm(ScopedForm):
    class Meta:
        model = ForumMember
        fields = ["organisation", "unit", "role"]

    def scope(self) -> None:
        self.fields["unit"].queryset = Unit.objects.filter(municipality=self.municipality)
        self.fields["organisation"].queryset = Organisation.objects.all()

    def clean(self):
        data = super().clean()
        if not (data.get("organisation") or data.get("unit") or data.get("role")):
            raise forms.ValidationError("Ange organisation, enhet eller funktion.")
        return data


class ForumMeetingForm(ScopedForm):
    class Meta:
        model = ForumMeeting
        fields = ["date", "participant_count", "notes"]


class CouncilReportForm(ScopedForm):
    class Meta:
        model = CouncilReport
        fields = ["date", "body", "subject", "diary_number"]


class CoordinationFunctionForm(ScopedForm):
    class Meta:
        model = CoordinationFunction
        fields = ["name", "unit", "email", "phone", "address", "description"]


class AdoptForm(forms.Form):
    decided_by = forms.CharField(label="Beslutande organ", max_length=200, initial="Kommunfullmäktige")
    decided_on = forms.DateField(label="Beslutsdatum", widget=DATE)
    diary_number = forms.CharField(label="Diarienummer", max_length=100, required=False)
    plan = forms.ModelChoiceField(
        label="Lägg åtgärderna i en befintlig plan",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="Nej, skapa en ny plan för åtgärdsplanen",
        help_text="Åtgärderna blir aktiviteter som följs upp varje år, med samma statusar som planens övriga.",
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(municipality=municipality)

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate() + dt.timedelta(days=366):
            raise forms.ValidationError("Beslutsdatumet ligger för långt fram i tiden.")
        return day


class LinkActivityForm(forms.Form):
    activity = forms.ModelChoiceField(label="Aktivitet i planen", queryset=Activity.objects.none())

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Activity.objects.filter(
            intervention__area__plan__municipality_id=measure.action_plan.municipality_id
        )
        if measure.action_plan.plan_id:
            qs = qs.filter(intervention__area__plan_id=measure.action_plan.plan_id)
        qs = qs.filter(Q(assessment_measure__isnull=True) | Q(assessment_measure=measure))
        self.fields["activity"].queryset = qs.select_related("intervention__area__plan").in_report_order()
        self.fields["activity"].label_from_instance = lambda a: f"{a.intervention.area.plan.name}: {a.title}"
