"""The editable record types of the law's cycle: one entry per model, from which the create, edit and delete
URLs, views and tenancy test cases are made, so that every type is handled the same way."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from . import forms
from .models import (
    ActionPlan,
    Agreement,
    Assessment,
    Cause,
    CitizenPromise,
    Consultation,
    Contribution,
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


@dataclass(frozen=True)
class Kind:
    key: str  # URL name prefix
    model: type
    form: type
    slug: str  # URL segment
    label: str  # Swedish, indefinite: "en källa"
    parent: str = ""  # the FK to the parent row ("" for a row owned directly by the municipality)

    def parent_model(self):
        return self.model._meta.get_field(self.parent).related_model if self.parent else None


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("assessment", Assessment, forms.AssessmentForm, "kartlaggning", "en kartläggning"),
        Kind("source", Source, forms.SourceForm, "kalla", "en källa", "assessment"),
        Kind("evidence", Evidence, forms.EvidenceForm, "underlag", "ett underlag", "assessment"),
        Kind("contribution", Contribution, forms.ContributionForm, "bidrag", "ett bidrag", "assessment"),
        Kind("consultation", Consultation, forms.ConsultationForm, "mote", "ett möte", "assessment"),
        Kind("problem", Problem, forms.ProblemForm, "problem", "ett problem", "assessment"),
        Kind("cause", Cause, forms.CauseForm, "orsak", "en orsak", "problem"),
        Kind("actionplan", ActionPlan, forms.ActionPlanForm, "atgardsplan", "en åtgärdsplan"),
        Kind("goal", Goal, forms.GoalForm, "mal", "ett mål", "action_plan"),
        Kind("measure", Measure, forms.MeasureForm, "atgard", "en åtgärd", "action_plan"),
        Kind("agreement", Agreement, forms.AgreementForm, "overenskommelse", "en samverkansöverenskommelse"),
        Kind("promise", CitizenPromise, forms.CitizenPromiseForm, "medborgarlofte", "ett medborgarlöfte"),
        Kind("forum", Forum, forms.ForumForm, "forum", "ett forum"),
        Kind("member", ForumMember, forms.ForumMemberForm, "medlem", "en medlem", "forum"),
        Kind("forummeeting", ForumMeeting, forms.ForumMeetingForm, "forummote", "ett möte", "forum"),
        Kind(
            "councilreport", CouncilReport, forms.CouncilReportForm, "rapport", "en rapport till fullmäktige"
        ),
    )
}

BY_MODEL = {k.model: k for k in KINDS.values()}


def page_of(obj) -> str:
    """The page that shows a record: its own page, or its parent's."""
    if isinstance(obj, Assessment):
        return reverse("assessments:assessment_detail", args=[obj.pk])
    if isinstance(obj, Problem):
        return reverse("assessments:problem_detail", args=[obj.pk])
    if isinstance(obj, ActionPlan):
        return reverse("assessments:actionplan_detail", args=[obj.pk])
    if isinstance(obj, Forum):
        return reverse("assessments:forum_detail", args=[obj.pk])
    kind = BY_MODEL.get(type(obj))
    if kind and kind.parent:
        return page_of(getattr(obj, kind.parent))
    return reverse("assessments:coordination")
