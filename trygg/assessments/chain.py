"""Loading the chain problem → cause → measure → activity → yearly status, both ways, in a constant number of
queries; and what each evidence item says (a figure from the statistics, a count from the lägesbild, a walk
finding, a dialog's answers)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import F, Prefetch

from trygg.plans.models import Activity, ActivityStatus

from .models import ActionPlan, Assessment, Cause, Evidence, Goal, Measure, Problem

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass
class CauseNode:
    cause: Cause
    depth: int  # 0: a direct cause of the problem; 1: an underlying cause …
    measures: list[Measure] = field(default_factory=list)


def cause_tree(causes: list[Cause]) -> list[CauseNode]:
    """The causes in tree order (each cause followed by its underlying causes), with their depth."""
    children: dict[int | None, list[Cause]] = defaultdict(list)
    ids = {c.pk for c in causes}
    for cause in causes:
        children[cause.parent_id if cause.parent_id in ids else None].append(cause)
    out: list[CauseNode] = []

    def visit(parent: int | None, depth: int) -> None:
        for cause in children.get(parent, []):
            out.append(CauseNode(cause, depth))
            visit(cause.pk, depth + 1)

    visit(None, 0)
    return out


def latest_statuses(activity_ids) -> dict[int, ActivityStatus]:
    """Each activity's status in its latest follow-up (one query)."""
    latest: dict[int, ActivityStatus] = {}
    rows = (
        ActivityStatus.objects.filter(activity_id__in=list(activity_ids))
        .select_related("follow_up")
        .order_by("activity_id", "-follow_up__year")
    )
    for row in rows:
        latest.setdefault(row.activity_id, row)
    return latest


@dataclass
class ProblemData:
    problem: Problem
    causes: list[CauseNode]
    goals: list[Goal] = field(default_factory=list)

    @property
    def measures(self) -> list[Measure]:
        return [m for node in self.causes for m in node.measures]


@dataclass
class AssessmentData:
    assessment: Assessment
    problems: list[ProblemData]
    sources: list
    evidence: list[Evidence]
    contributions: list
    consultations: list


def _problems(assessment: Assessment, measures: list[Measure] | None = None, goals=()) -> list[ProblemData]:
    problems = list(
        assessment.problems.select_related("place").prefetch_related(
            Prefetch("causes", queryset=Cause.objects.order_by("pk")), "evidence"
        )
    )
    by_cause: dict[int, list[Measure]] = defaultdict(list)
    for m in measures or ():
        by_cause[m.cause_id].append(m)
    goals_by_problem: dict[int, list[Goal]] = defaultdict(list)
    for goal in goals:
        goals_by_problem[goal.problem_id].append(goal)
    out = []
    for problem in problems:
        nodes = cause_tree(list(problem.causes.all()))
        for node in nodes:
            node.measures = by_cause.get(node.cause.pk, [])
        out.append(ProblemData(problem, nodes, goals_by_problem.get(problem.pk, [])))
    return out


def load_assessment(assessment: Assessment) -> AssessmentData:
    return AssessmentData(
        assessment=assessment,
        problems=_problems(assessment),
        sources=list(assessment.sources.all()),
        evidence=list(
            assessment.evidence.select_related(
                "indicator", "category", "place", "finding__walk", "campaign", "contribution"
            )
        ),
        contributions=list(assessment.contributions.select_related("organisation")),
        consultations=list(assessment.consultations.all()),
    )


@dataclass
class ActionPlanData:
    action_plan: ActionPlan
    problems: list[ProblemData]
    statuses: dict[int, ActivityStatus]  # activity id → latest status

    def status_of(self, measure: Measure) -> ActivityStatus | None:
        return self.statuses.get(measure.activity_id) if measure.activity_id else None


def load_action_plan(action_plan: ActionPlan) -> ActionPlanData:
    measures = list(
        action_plan.measures.select_related("owner", "activity__intervention__area__plan", "cause").order_by(
            "pk"
        )
    )
    goals = list(action_plan.goals.all())
    problems = [p for p in _problems(action_plan.assessment, measures, goals) if p.measures or p.goals]
    return ActionPlanData(
        action_plan=action_plan,
        problems=problems,
        statuses=latest_statuses(m.activity_id for m in measures if m.activity_id),
    )


@dataclass
class ActivityChain:
    """The chain read backwards from a plan activity."""

    activity: Activity
    measure: Measure | None
    causes: list[Cause]  # the measure's cause and the causes above it, nearest first
    statuses: list[ActivityStatus]


def chain_for_activity(activity: Activity) -> ActivityChain:
    measure = (
        Measure.objects.filter(activity=activity)
        .select_related("cause__problem__assessment", "action_plan", "owner")
        .first()
    )
    causes: list[Cause] = []
    if measure is not None:
        node = measure.cause
        seen = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            causes.append(node)
            node = node.parent
    statuses = list(activity.statuses.select_related("follow_up").order_by("-follow_up__year"))
    return ActivityChain(activity, measure, causes, statuses)


# --- What an evidence item says ---------------------------------------------------------------------------


def _fmt(value: float) -> str:
    text = f"{value:,.1f}" if value % 1 else f"{value:,.0f}"
    return text.replace(",", " ").replace(".", ",")


def indicator_series(evidence: Evidence, municipality) -> dict[str, list[tuple[int, float]]]:
    """The indicator's yearly totals for the municipality and for Sweden (riket), when imported."""
    from trygg.indicators.models import Observation

    if evidence.indicator_id is None:
        return {}
    rows = (
        Observation.objects.with_values()
        .totals()
        .filter(indicator_id=evidence.indicator_id, region__code__in=[municipality.code, "00"])
        .filter(period_start=F("period_end"))  # yearly values only
        .values_list("region__code", "period_start", "value")
        .order_by("period_start")
    )
    series: dict[str, list[tuple[int, float]]] = {}
    for code, year, value in rows:
        name = municipality.name if code == municipality.code else "Riket"
        series.setdefault(name, []).append((year, value))
    return series


def incident_count(evidence: Evidence, municipality) -> int:
    from trygg.situation.models import Incident

    qs = Incident.objects.filter(municipality=municipality)
    if evidence.category_id:
        qs = qs.filter(category_id=evidence.category_id)
    if evidence.place_id:
        qs = qs.filter(place_id=evidence.place_id)
    if evidence.date_from:
        start = dt.datetime.combine(evidence.date_from, dt.time.min, tzinfo=STOCKHOLM)
        qs = qs.filter(occurred_from__gte=start)
    if evidence.date_to:
        end = dt.datetime.combine(evidence.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=STOCKHOLM)
        qs = qs.filter(occurred_from__lt=end)
    return qs.count()


def evidence_summary(evidence: Evidence, municipality) -> str:
    """One Swedish sentence on what the linked data shows now ("" for a text)."""
    if evidence.is_broken:
        return "Det länkade underlaget finns inte längre i Trygg."
    kind = evidence.kind
    if kind == Evidence.Kind.INDICATOR:
        series = indicator_series(evidence, municipality)
        own = series.get(municipality.name) or []
        if not own:
            return f"{evidence.indicator.title}: inga värden för {municipality.name} är importerade."
        year, value = own[-1]
        unit = evidence.indicator.get_unit_display()
        return f"{evidence.indicator.title}: {_fmt(value)} ({unit}) år {year}."
    if kind == Evidence.Kind.INCIDENTS:
        what = evidence.category.name if evidence.category_id else "Händelser"
        where = f" vid {evidence.place.name}" if evidence.place_id else ""
        span = ""
        if evidence.date_from or evidence.date_to:
            span = f" {evidence.date_from or '…'}–{evidence.date_to or '…'}"
        return f"{what}{where}{span}: {incident_count(evidence, municipality)} i lägesbilden."
    if kind == Evidence.Kind.WALK:
        finding = evidence.finding
        text = f" – {finding.description}" if finding.description else ""
        return f"{finding.get_category_display()} ({finding.walk}){text}"
    if kind == Evidence.Kind.DIALOG:
        campaign = evidence.campaign
        approved = campaign.submissions.approved().count()
        return f"{campaign.title}: {approved} godkända svar från invånarna."
    if kind == Evidence.Kind.CONTRIBUTION:
        contribution = evidence.contribution
        who = f"{contribution.organisation}: " if contribution.organisation_id else ""
        return f"{who}{contribution.title}"
    return ""


def evidence_figure(evidence: Evidence, municipality):
    """A chart of an indicator's series (a trygg.documents Figure), or None."""
    if evidence.kind != Evidence.Kind.INDICATOR or evidence.indicator_id is None:
        return None
    series = indicator_series(evidence, municipality)
    if not series.get(municipality.name):
        return None
    from trygg.indicators.charts import line_chart_rates

    indicator = evidence.indicator
    chart = line_chart_rates(
        series,
        title=indicator.title,
        ylabel=indicator.get_unit_display().capitalize(),
        source=f"Källa: {indicator.source}" if indicator.source else "Källa: Trygg",
    )
    return chart.to_figure(caption=evidence.title)
