"""The law's cycle: checklist and årshjul, kartläggning, problems with their cause tree, åtgärdsplan with its
adoption into a plan, coordination, and the public contact page. Thin views: a form parses, permissions
decide, an action writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from trygg.accounts import tenancy
from trygg.documents.docx import render_docx
from trygg.documents.html import render_html
from trygg.documents.pdf import render_pdf
from trygg.plans.models import Activity

from . import checklist, deadlines
from . import permissions as perms
from .actions import (
    AssessmentError,
    do_adopt_action_plan,
    do_delete,
    do_link_activity,
    do_save,
    do_save_measure,
)
from .chain import chain_for_activity, evidence_summary, load_action_plan, load_assessment
from .document import build_action_plan_document, build_assessment_document, evidence_info
from .forms import AdoptForm, CoordinationFunctionForm, LinkActivityForm
from .models import (
    ActionPlan,
    Agreement,
    Assessment,
    CitizenPromise,
    CoordinationFunction,
    CouncilReport,
    Forum,
    Measure,
    Problem,
)
from .registry import KINDS, page_of

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _saved(request: HttpRequest, text: str, explanation: str = "") -> None:
    messages.success(request, text)
    if explanation:
        messages.warning(request, explanation)


# --- overview: checklist and årshjul ----------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    municipality = perms.require_access(request)
    today = timezone.localdate()
    facts = checklist.facts_for(municipality, today)
    return render(
        request,
        "assessments/index.html",
        {
            "municipality": municipality,
            "today": today,
            "duties": deadlines.checklist(facts, today),
            "wheel": deadlines.wheel(facts, today, checklist.events_for(municipality, today)),
            "assessments": Assessment.objects.filter(municipality=municipality),
            "action_plans": ActionPlan.objects.filter(municipality=municipality).select_related("plan"),
            "can_manage": perms.can_manage(request.user, municipality),
        },
    )


# --- generic create / edit / delete -----------------------------------------------------------------------


def _form_page(request, kind, form, title: str, back: str) -> HttpResponse:
    return render(
        request, "assessments/form.html", {"form": form, "title": title, "back": back, "kind": kind}
    )


def _save_form(request, kind, form) -> HttpResponse | None:
    obj = form.instance
    try:
        if kind.key == "measure":
            written = do_save_measure(obj, acting_user=request.user)
        else:
            written = do_save(obj, acting_user=request.user, m2m=form.m2m())
    except AssessmentError as exc:
        form.add_error(None, str(exc))
        return None
    _saved(request, "Uppgifterna är sparade.", written.explanation)
    return redirect(page_of(written.obj))


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    k = KINDS[kind]
    if k.parent:
        parent = perms.get_for_user(request, k.parent_model().objects.all(), pk, manage=True)
        municipality = _municipality_of(parent)
        instance = k.model(**{k.parent: parent})
        back = page_of(parent)
    else:
        parent = None
        municipality = perms.require_access(request, manage=True)
        instance = k.model(municipality=municipality)
        back = reverse_index(k)
    if kind == "cause" and request.GET.get("under"):
        instance.parent = instance.problem.causes.filter(pk=request.GET["under"]).first()
    form = k.form(request.POST or None, instance=instance, municipality=municipality, parent=parent)
    if request.method == "POST" and form.is_valid():
        response = _save_form(request, k, form)
        if response:
            return response
    return _form_page(request, k, form, f"Lägg till {k.label}", back)


def _municipality_of(obj):
    from trygg.places.models import Municipality

    return Municipality.objects.get(pk=tenancy.municipality_id_of(obj))


def reverse_index(k) -> str:
    from django.urls import reverse

    if k.key in ("assessment", "actionplan"):
        return reverse("assessments:index")
    return reverse("assessments:coordination")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = KINDS[kind]
    obj = perms.get_for_user(request, k.model.objects.all(), pk, manage=True)
    municipality = _municipality_of(obj)
    parent = getattr(obj, k.parent) if k.parent else None
    form = k.form(request.POST or None, instance=obj, municipality=municipality, parent=parent)
    if request.method == "POST" and form.is_valid():
        response = _save_form(request, k, form)
        if response:
            return response
    return _form_page(request, k, form, f"Ändra {k.model._meta.verbose_name}", page_of(obj))


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = KINDS[kind]
    obj = perms.get_for_user(request, k.model.objects.all(), pk, manage=True)
    back = page_of(getattr(obj, k.parent)) if k.parent else reverse_index(k)
    if request.method == "POST":
        try:
            do_delete(obj, acting_user=request.user)
        except AssessmentError as exc:
            messages.error(request, str(exc))
            return redirect(page_of(obj))
        messages.success(request, f"”{obj}” är borttagen.")
        return redirect(back)
    return render(request, "assessments/confirm_delete.html", {"obj": obj, "kind": k, "back": page_of(obj)})


# --- kartläggning ------------------------------------------------------------------------------------------


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = perms.get_for_user(request, Assessment.objects.select_related("municipality"), pk)
    data = load_assessment(assessment)
    for e in data.evidence:
        e.summary = evidence_summary(e, assessment.municipality)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "a": assessment,
            "data": data,
            "action_plans": assessment.action_plans.all(),
            "can_manage": perms.can_manage(request.user, assessment.municipality_id),
        },
    )


@login_required
@require_GET
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = perms.get_for_user(
        request, Problem.objects.select_related("assessment__municipality", "place"), pk
    )
    from .chain import _problems

    data = next(
        p for p in _problems(problem.assessment, list(_problem_measures(problem))) if p.problem.pk == pk
    )
    return render(
        request,
        "assessments/problem_detail.html",
        {
            "problem": problem,
            "data": data,
            "can_manage": perms.can_manage(request.user, problem.assessment.municipality_id),
        },
    )


def _problem_measures(problem):
    return Measure.objects.filter(cause__problem=problem).select_related("activity", "action_plan")


def _document_response(doc, fmt: str, filename: str) -> HttpResponse:
    if fmt == "html":
        return HttpResponse(render_html(doc))
    if fmt == "pdf":
        response = HttpResponse(render_pdf(doc), content_type="application/pdf")
    else:
        response = HttpResponse(render_docx(doc), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
@require_GET
def assessment_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    assessment = perms.get_for_user(request, Assessment.objects.select_related("municipality"), pk)
    data = load_assessment(assessment)
    doc = build_assessment_document(data, evidence_info(data))
    return _document_response(doc, fmt, f"kartlaggning_{assessment.pk}")


# --- åtgärdsplan -------------------------------------------------------------------------------------------


def _get_action_plan(request, pk: int, manage: bool = False) -> ActionPlan:
    return perms.get_for_user(
        request, ActionPlan.objects.select_related("municipality", "assessment", "plan"), pk, manage=manage
    )


@login_required
@require_GET
def actionplan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action_plan = _get_action_plan(request, pk)
    data = load_action_plan(action_plan)
    return render(
        request,
        "assessments/actionplan_detail.html",
        {
            "ap": action_plan,
            "data": data,
            "rows": [
                (
                    pd,
                    [
                        (node, [(m, data.status_of(m)) for m in node.measures])
                        for node in pd.causes
                        if node.measures
                    ],
                )
                for pd in data.problems
            ],
            "can_manage": perms.can_manage(request.user, action_plan.municipality_id),
        },
    )


@login_required
@require_GET
def actionplan_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    action_plan = _get_action_plan(request, pk)
    doc = build_action_plan_document(load_action_plan(action_plan))
    return _document_response(doc, fmt, f"atgardsplan_{action_plan.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def actionplan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    action_plan = _get_action_plan(request, pk, manage=True)
    form = AdoptForm(request.POST or None, municipality=action_plan.municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = do_adopt_action_plan(
                action_plan,
                decided_by=data["decided_by"],
                decided_on=data["decided_on"],
                diary_number=data["diary_number"],
                plan=data["plan"],
                acting_user=request.user,
            )
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            _saved(
                request,
                f"Åtgärdsplanen är antagen. {len(result.created)} nya och {len(result.linked)} befintliga "
                f"aktiviteter följs upp i planen ”{result.plan.name}”.",
            )
            return redirect("assessments:actionplan_detail", pk=action_plan.pk)
    return render(request, "assessments/adopt.html", {"ap": action_plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def measure_link(request: HttpRequest, pk: int) -> HttpResponse:
    measure = perms.get_for_user(
        request,
        Measure.objects.select_related("action_plan__municipality", "action_plan__plan"),
        pk,
        manage=True,
    )
    form = LinkActivityForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            do_link_activity(measure, form.cleaned_data["activity"], acting_user=request.user)
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            _saved(request, "Åtgärden är kopplad till aktiviteten.")
            return redirect("assessments:actionplan_detail", pk=measure.action_plan_id)
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "title": f"Koppla åtgärden ”{measure.title}” till en aktivitet",
            "back": page_of(measure),
        },
    )


@login_required
@require_GET
def activity_chain(request: HttpRequest, pk: int) -> HttpResponse:
    """The chain read backwards from a plan activity: measure, cause(s), problem, kartläggning."""
    activity = perms.get_for_user(
        request, Activity.objects.select_related("intervention__area__plan__municipality"), pk
    )
    return render(request, "assessments/activity_chain.html", {"chain": chain_for_activity(activity)})


# --- coordination (8–12 §) and reporting (13 §) ------------------------------------------------------------


@login_required
@require_GET
def coordination(request: HttpRequest) -> HttpResponse:
    municipality = perms.require_access(request)
    today = timezone.localdate()
    return render(
        request,
        "assessments/coordination.html",
        {
            "municipality": municipality,
            "today": today,
            "agreements": Agreement.objects.filter(municipality=municipality),
            "promises": CitizenPromise.objects.filter(municipality=municipality).select_related("agreement"),
            "forums": Forum.objects.filter(municipality=municipality).prefetch_related("meetings", "members"),
            "reports": CouncilReport.objects.filter(municipality=municipality),
            "function": CoordinationFunction.objects.filter(municipality=municipality).first(),
            "can_manage": perms.can_manage(request.user, municipality),
        },
    )


@login_required
@require_GET
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forum = perms.get_for_user(request, Forum.objects.select_related("municipality"), pk)
    meetings = list(forum.meetings.all())
    return render(
        request,
        "assessments/forum_detail.html",
        {
            "forum": forum,
            "members": forum.members.select_related("organisation", "unit"),
            "meetings": meetings,
            "participants": sum(m.participant_count or 0 for m in meetings),
            "can_manage": perms.can_manage(request.user, forum.municipality_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def coordination_function_edit(request: HttpRequest) -> HttpResponse:
    municipality = perms.require_access(request, manage=True)
    instance = CoordinationFunction.objects.filter(municipality=municipality).first() or CoordinationFunction(
        municipality=municipality
    )
    form = CoordinationFunctionForm(request.POST or None, instance=instance, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            written = do_save(form.instance, acting_user=request.user)
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            _saved(request, "Samordningsfunktionens uppgifter är sparade.", written.explanation)
            return redirect("assessments:coordination")
    from django.urls import reverse

    return _form_page(request, None, form, "Samordningsfunktionen", reverse("assessments:coordination"))


@require_GET
def public_contact(request: HttpRequest, code: str) -> HttpResponse:
    """The samordningsfunktion's contact details, for residents and partners (no login)."""
    function = perms.get_public_contact(code)
    if not (function.email or function.phone or function.address):
        raise Http404
    return render(request, "assessments/public_contact.html", {"function": function})
