"""Every write of assessment data goes through a do_* function here, and each of them through
trygg.accounts.writes (texts cleaned, personal data redacted in FREE_TEXT_FIELDS, lengths checked, one audit row
with the true before/after values, update_fields on existing rows).

- :func:`do_save`: create or update any record of this app except a measure (a form has already set the
  fields on the instance). Every link is checked to lie in the record's own municipality, a cause's parent in
  the same problem, a goal's problem in the plan's kartläggning.
- :func:`do_save_measure`: a measure; when it is already an activity of the plan, title, dates and
  responsible unit are carried over to the activity through ``plans.actions.do_update_activity``.
- :func:`do_delete`: refuses what would leave an orphan: a measure that is an activity in the plan, a cause or
  problem that has measures, an adopted action plan, a kartläggning with an action plan.
- :func:`do_adopt_action_plan`: records the decision (body, date, diarienummer) and creates or links the
  plan in trygg.plans: one delområde per problem, one insats per cause, one activity per measure, all through
  the plans app's own do_* functions.
- :func:`do_link_activity`: links a measure to an activity that already exists in a plan.

AssessmentError carries a Swedish message for the user; nothing is half-written (transactions).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Max, ProtectedError
from django.utils.text import slugify

from trygg.accounts import tenancy, writes
from trygg.accounts.writes import Written
from trygg.plans import actions as plan_actions
from trygg.plans.models import Activity, Area, Intervention, Plan

from .models import ActionPlan, Assessment, Cause, Goal, Measure, Problem


class AssessmentError(ValueError):
    """A write was refused; the message is Swedish and meant for the user."""


# Fields that only their own action writes.
_NOT_GENERIC = {
    Measure: {"activity", "adopted"},
    ActionPlan: {"plan"},
}


def _owned(model: type[models.Model]) -> bool:
    return hasattr(model, "MUNICIPALITY_PATH") or any(
        f.name == "municipality" for f in model._meta.concrete_fields
    )


def _owner(obj: models.Model) -> int | None:
    try:
        return tenancy.municipality_id_of(obj)
    except AttributeError:
        return None


def _check_links(obj: models.Model, m2m: Mapping[str, Iterable] | None = None) -> None:
    owner = _owner(obj)
    related: list[tuple[str, Any]] = []
    for f in obj._meta.concrete_fields:
        if f.is_relation and f.name != "municipality" and getattr(obj, f.attname) is not None:
            related.append((str(f.verbose_name), getattr(obj, f.name)))
    for name, items in (m2m or {}).items():
        label = str(obj._meta.get_field(name).verbose_name)
        related += [(label, item) for item in items]
    for label, other in related:
        if _owned(type(other)):
            other_owner = _owner(other)
            if other_owner is not None and other_owner != owner:
                raise AssessmentError(f"{label.capitalize()} ”{other}” hör inte till samma kommun.")
    if isinstance(obj, Cause) and obj.parent_id is not None:
        if obj.parent.problem_id != obj.problem_id:
            raise AssessmentError("Den överordnade orsaken hör till ett annat problem.")
        node = obj.parent
        while node is not None:
            if obj.pk is not None and node.pk == obj.pk:
                raise AssessmentError("En orsak kan inte ligga under sig själv.")
            node = node.parent
    if isinstance(obj, Goal) and obj.problem.assessment_id != obj.action_plan.assessment_id:
        raise AssessmentError("Problemet hör inte till åtgärdsplanens kartläggning.")
    if isinstance(obj, Measure) and obj.cause.problem.assessment_id != obj.action_plan.assessment_id:
        raise AssessmentError("Orsaken hör inte till åtgärdsplanens kartläggning.")
    if isinstance(obj, Problem):
        for item in (m2m or {}).get("evidence", ()):
            if item.assessment_id != obj.assessment_id:
                raise AssessmentError(f"Underlaget ”{item}” hör till en annan kartläggning.")
    if isinstance(obj, ActionPlan) and obj.assessment.municipality_id != obj.municipality_id:
        raise AssessmentError("Kartläggningen hör inte till samma kommun.")


def _values(obj: models.Model) -> dict[str, Any]:
    skip = _NOT_GENERIC.get(type(obj), set())
    values = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name in skip:
            continue
        if not f.editable and not (obj.pk is None and f.name == "demo"):
            continue
        values[f.name] = getattr(obj, f.name) if f.is_relation else getattr(obj, f.attname)
    return values


def _write(obj: models.Model, values: Mapping[str, Any], *, acting_user, m2m=None) -> Written:
    try:
        if obj.pk is None:
            return writes.create(type(obj), values, acting_user=acting_user, m2m=m2m)
        return writes.update(obj, values, acting_user=acting_user, m2m=m2m)
    except writes.WriteError as exc:
        raise AssessmentError(str(exc)) from None


@transaction.atomic
def do_save(obj: models.Model, *, acting_user, m2m: Mapping[str, Iterable] | None = None) -> Written:
    """Create or update a record of this app (not a measure: :func:`do_save_measure`). `m2m`: many-to-many
    fields to set (a problem's evidence); None leaves them as they are."""
    if isinstance(obj, Measure):
        raise AssessmentError("En åtgärd sparas med do_save_measure.")
    if type(obj)._meta.app_label != "assessments":
        raise AssessmentError("Fel typ av uppgift.")
    m2m = {k: list(v) for k, v in (m2m or {}).items()}
    _check_links(obj, m2m)
    return _write(obj, _values(obj), acting_user=acting_user, m2m=m2m)


ACTIVITY_FIELDS = ("title", "start", "end", "owner")


@transaction.atomic
def do_save_measure(measure: Measure, *, acting_user) -> Written:
    """Create or update a measure. When it is already an activity of the plan, a changed title, start, end or
    responsible unit is carried over to the activity (the activity keeps its own audit row)."""
    _check_links(measure)
    written = _write(measure, _values(measure), acting_user=acting_user)
    if measure.activity_id and set(ACTIVITY_FIELDS) & set(written.changes):
        activity = Activity.objects.get(pk=measure.activity_id)
        try:
            plan_actions.do_update_activity(
                activity,
                {"title": measure.title, "planned_start": measure.start, "planned_end": measure.end},
                units=[measure.owner] if measure.owner_id else None,
                acting_user=acting_user,
            )
        except plan_actions.PlanError as exc:
            raise AssessmentError(str(exc)) from None
    return written


def _refusal(obj: models.Model) -> str:
    if isinstance(obj, Measure) and obj.activity_id:
        return (
            f"Åtgärden följs upp som aktivitet i planen ”{obj.activity}”, så den kan inte tas bort. "
            "Ändra den i stället, eller ta först bort aktiviteten ur planen."
        )
    if isinstance(obj, Cause):
        tree = [obj.pk]
        frontier = [obj.pk]
        while frontier:
            frontier = list(Cause.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            tree += frontier
        if Measure.objects.filter(cause_id__in=tree).exists():
            return (
                "Orsaken (eller en underliggande orsak) har åtgärder. Ta bort eller flytta åtgärderna först."
            )
    if isinstance(obj, Problem):
        if Measure.objects.filter(cause__problem=obj).exists():
            return "Problemet har orsaker med åtgärder. Ta bort eller flytta åtgärderna först."
        if obj.goals.exists():
            return "Problemet har mål i en åtgärdsplan. Ta bort målen först."
    if isinstance(obj, ActionPlan) and obj.adopted:
        return "En antagen åtgärdsplan kan inte tas bort: beslutet är fattat."
    if isinstance(obj, Assessment) and obj.action_plans.exists():
        return "Kartläggningen har en åtgärdsplan och kan inte tas bort."
    return ""


@transaction.atomic
def do_delete(obj: models.Model, *, acting_user) -> None:
    """Delete a record of this app, unless that would leave an orphan in the chain (AssessmentError)."""
    if type(obj)._meta.app_label != "assessments":
        raise AssessmentError("Fel typ av uppgift.")
    reason = _refusal(obj)
    if reason:
        raise AssessmentError(reason)
    try:
        writes.delete(obj, acting_user=acting_user)
    except ProtectedError:
        raise AssessmentError("Uppgiften används på andra ställen och kan inte tas bort.") from None


@transaction.atomic
def do_link_activity(measure: Measure, activity: Activity, *, acting_user) -> Written:
    """Link a measure to an activity that already exists in one of the municipality's plans."""
    if tenancy.municipality_id_of(activity) != tenancy.municipality_id_of(measure):
        raise AssessmentError("Aktiviteten hör inte till samma kommun.")
    taken = Measure.objects.filter(activity=activity).exclude(pk=measure.pk).first()
    if taken is not None:
        raise AssessmentError(f"Aktiviteten är redan kopplad till åtgärden ”{taken}”.")
    plan = measure.action_plan.plan
    if plan is not None and activity.intervention.area.plan_id != plan.pk:
        raise AssessmentError(f"Aktiviteten hör inte till åtgärdsplanens plan ”{plan}”.")
    return _write(
        measure, {"activity": activity, "adopted": measure.action_plan.adopted}, acting_user=acting_user
    )


@dataclass
class Adoption:
    action_plan: ActionPlan
    plan: Plan
    created_plan: bool
    created: list[Activity] = field(default_factory=list)
    linked: list[Activity] = field(default_factory=list)


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "atgardsplan")[:40]
    slug, n = base, 1
    while Plan.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _plan_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except plan_actions.PlanError as exc:
        raise AssessmentError(str(exc)) from None


@transaction.atomic
def do_adopt_action_plan(
    action_plan: ActionPlan,
    *,
    decided_by: str,
    decided_on,
    diary_number: str = "",
    plan: Plan | None = None,
    acting_user,
) -> Adoption:
    """Record the decision and make every measure an activity of a plan, followed up yearly like any other.

    `plan`: an existing plan of the municipality to add the measures to; None creates a new plan named after
    the action plan. Each problem becomes a delområde, each cause with measures an insats ("Orsak: …"), each
    measure not yet linked an activity. Measures already linked (do_link_activity) keep their activity."""
    action_plan = ActionPlan.objects.select_for_update().select_related("municipality").get(pk=action_plan.pk)
    if action_plan.adopted:
        raise AssessmentError(f"Åtgärdsplanen är redan antagen ({action_plan.decided_on:%Y-%m-%d}).")
    if not (decided_by or "").strip() or decided_on is None:
        raise AssessmentError("Ange vem som beslutade och när.")
    measures = list(
        action_plan.measures.select_related("cause__problem", "owner").order_by(
            "cause__problem__rank", "cause_id", "pk"
        )
    )
    if not measures:
        raise AssessmentError("Åtgärdsplanen har inga åtgärder att anta.")
    municipality = action_plan.municipality
    created_plan = plan is None
    if plan is None:
        plan = _plan_call(
            plan_actions.do_create_plan,
            {
                "municipality": municipality,
                "slug": _unique_slug(action_plan.title),
                "name": action_plan.title,
                "period_start": action_plan.period_start,
                "period_end": action_plan.period_end,
                "adopted_by": decided_by,
                "adopted_on": decided_on,
                "diary_number": diary_number,
            },
            acting_user=acting_user,
        ).obj
    elif plan.municipality_id != municipality.pk:
        raise AssessmentError("Planen hör inte till samma kommun.")
    result = Adoption(action_plan, plan, created_plan)
    goals: dict[int, list[str]] = {}
    for goal in action_plan.goals.all():
        goals.setdefault(goal.problem_id, []).append(goal.text)
    areas: dict[int, Area] = {}
    interventions: dict[int, Intervention] = {}
    next_area = (plan.areas.aggregate(n=Max("number"))["n"] or 0) + 1
    for order, measure in enumerate(measures, 1):
        if measure.activity_id is not None:
            activity = measure.activity
            if activity.intervention.area.plan_id != plan.pk:
                raise AssessmentError(f"Åtgärden ”{measure}” är kopplad till en aktivitet i en annan plan.")
            result.linked.append(activity)
        else:
            problem = measure.cause.problem
            if problem.pk not in areas:
                areas[problem.pk] = _plan_call(
                    plan_actions.do_create_area,
                    {
                        "plan": plan,
                        "number": next_area,
                        "title": problem.title,
                        "description": "\n\n".join(f"Mål: {text}" for text in goals.get(problem.pk, [])),
                    },
                    acting_user=acting_user,
                ).obj
                next_area += 1
            area = areas[problem.pk]
            if measure.cause_id not in interventions:
                interventions[measure.cause_id] = _plan_call(
                    plan_actions.do_create_intervention,
                    {
                        "area": area,
                        "number": sum(1 for i in interventions.values() if i.area_id == area.pk) + 1,
                        "title": f"Orsak: {measure.cause.title}"[:300],
                    },
                    acting_user=acting_user,
                ).obj
            activity = _plan_call(
                plan_actions.do_create_activity,
                {
                    "intervention": interventions[measure.cause_id],
                    "title": measure.title,
                    "planned_start": measure.start,
                    "planned_end": measure.end,
                    "order": order,
                },
                units=[measure.owner] if measure.owner_id else [],
                acting_user=acting_user,
            ).obj
            result.created.append(activity)
        _write(measure, {"activity": activity, "adopted": True}, acting_user=acting_user)
    _write(
        action_plan,
        {"decided_by": decided_by, "decided_on": decided_on, "diary_number": diary_number, "plan": plan},
        acting_user=acting_user,
    )
    return result
