"""Demo of the law's cycle for Kungälv: the 2024 kartläggning skeleton from "Uppföljning 2023 Trygg i Kungälv"
(its nulägesanalys, the problems of section 4.3.1, the networks of 4.1, 4.2 and 4.5), worked cause analyses
for two problems, and the åtgärdsplan adopted into the demo plan "Trygg i Kungälv" with every measure linked to
one of its existing activities, so that the chain problem → cause → measure → activity → status can be
followed both ways at once. Also the agreement with the police, a medborgarlöfte, the forums and the
samordningsfunktion. Sources and demo assumptions: data/assessments_kungalv.yaml.

Written only through trygg.assessments.actions. Idempotent: nothing is written when the kartläggning exists.
Other municipalities get nothing.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from trygg.accounts.models import Organisation, Unit
from trygg.assessments import actions
from trygg.assessments.models import (
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
from trygg.places.models import Place
from trygg.plans.models import Activity, Plan

DATA = {"1482": Path(__file__).resolve().parent / "data" / "assessments_kungalv.yaml"}


def _save(obj, user, m2m=None):
    return actions.do_save(obj, acting_user=user, m2m=m2m).obj


def _organisation(name: str | None):
    if not name:
        return None
    return Organisation.objects.get_or_create(name=name)[0]


@transaction.atomic
def load(municipality, *, acting_user) -> str:
    path = DATA.get(municipality.code)
    if path is None:
        return ""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec = data["assessment"]
    if Assessment.objects.filter(municipality=municipality, title=spec["title"]).exists():
        return "kartläggningen finns redan"
    user = acting_user
    assessment = Assessment(municipality=municipality, **spec)
    assessment.demo = True
    assessment = _save(assessment, user)
    places = {p.name: p for p in Place.objects.filter(municipality=municipality)}
    for row in data["sources"]:
        _save(Source(assessment=assessment, **row), user)
    contributions = {}
    for row in data["contributions"]:
        c = Contribution(
            assessment=assessment,
            organisation=_organisation(row["organisation"]),
            title=row["title"],
            text=row["text"],
        )
        contributions[row["title"]] = _save(c, user)
    for row in data["consultations"]:
        _save(Consultation(assessment=assessment, **row), user)
    evidence = {}
    for row in data["evidence"]:
        e = _evidence(assessment, row, places, contributions, municipality)
        if e is not None:
            evidence[row["title"]] = _save(e, user)

    problems: dict[int, Problem] = {}
    causes: dict[str, Cause] = {}
    for row in data["problems"]:
        problem = Problem(
            assessment=assessment,
            rank=row["rank"],
            title=row["title"],
            description=row.get("description", ""),
            place=places.get(row.get("place", "")),
            area=row.get("area", ""),
            group=row.get("group", ""),
        )
        linked = [evidence[t] for t in row.get("evidence", []) if t in evidence]
        problems[row["rank"]] = problem = _save(problem, user, m2m={"evidence": linked})
        _causes(problem, row.get("causes", []), None, causes, user)

    spec = data["action_plan"]
    action_plan = ActionPlan(
        municipality=municipality,
        assessment=assessment,
        title=spec["title"],
        period_start=spec["period_start"],
        period_end=spec["period_end"],
    )
    action_plan.demo = True
    action_plan = _save(action_plan, user)
    for row in spec["goals"]:
        _save(Goal(action_plan=action_plan, problem=problems[row["problem"]], text=row["text"],
                   measured_by=row.get("measured_by", "")), user)  # fmt: skip
    plan = Plan.objects.filter(municipality=municipality, slug=spec["plan"]).first()
    units = {u.name: u for u in Unit.objects.filter(municipality=municipality)}
    for row in spec["measures"]:
        measure = actions.do_save_measure(
            Measure(
                action_plan=action_plan,
                cause=causes[row["cause"]],
                title=row["title"],
                kind=row["kind"],
                term=row["term"],
                owner=units.get(row.get("owner", "")),
                owner_other=row.get("owner_other", ""),
                start=row.get("start"),
                end=row.get("end"),
                expected_effect=row.get("expected_effect", ""),
                follow_up_method=row.get("follow_up_method", ""),
            ),
            acting_user=user,
        ).obj
        activity = (
            Activity.objects.filter(intervention__area__plan=plan, title=row["activity"]).first()
            if plan
            else None
        )
        if activity is not None:
            actions.do_link_activity(measure, activity, acting_user=user)
    adopted = ""
    if plan is not None:
        result = actions.do_adopt_action_plan(
            action_plan,
            decided_by=spec["decided_by"],
            decided_on=spec["decided_on"],
            diary_number=spec["diary_number"],
            plan=plan,
            acting_user=user,
        )
        adopted = f", antagen i ”{plan.name}” ({len(result.linked)} kopplade, {len(result.created)} nya aktiviteter)"

    _coordination(municipality, data, units, user)
    return (
        f"kartläggning med {len(problems)} problem och {len(causes)} orsaker, åtgärdsplan med "
        f"{len(spec['measures'])} åtgärder{adopted}"
    )


def _evidence(assessment, row, places, contributions, municipality) -> Evidence | None:
    from trygg.dialog.models import Campaign
    from trygg.indicators.models import Indicator
    from trygg.situation.models import Category
    from trygg.walks.models import Finding

    e = Evidence(
        assessment=assessment, kind=row["kind"], title=row["title"], interpretation=row["interpretation"]
    )
    if e.kind == Evidence.Kind.INDICATOR:
        e.indicator = Indicator.objects.visible_in(municipality).filter(code=row["indicator"]).first()
    elif e.kind == Evidence.Kind.INCIDENTS:
        e.category = Category.objects.filter(slug=row["category"]).first()
        e.place = places.get(row.get("place", ""))
    elif e.kind == Evidence.Kind.WALK:
        e.finding = (
            Finding.objects.filter(walk__municipality=municipality, walk__title=row["walk"])
            .order_by("pk")
            .first()
        )
    elif e.kind == Evidence.Kind.DIALOG:
        e.campaign = Campaign.objects.filter(municipality=municipality, title=row["campaign"]).first()
    elif e.kind == Evidence.Kind.CONTRIBUTION:
        e.contribution = contributions.get(row["contribution"])
    link = Evidence.LINK_FIELD.get(e.kind)
    return None if link and getattr(e, f"{link}_id") is None else e  # its data is not loaded here


def _causes(problem, rows, parent, out: dict, user) -> None:
    for row in rows:
        cause = _save(
            Cause(
                problem=problem,
                parent=parent,
                title=row["title"],
                factor=row["factor"],
                level=row["level"],
                side=row["side"],
                sources=row.get("sources", ""),
            ),
            user,
        )
        out[cause.title] = cause
        _causes(problem, row.get("children", []), cause, out, user)


def _coordination(municipality, data, units, user) -> None:
    agreements = {}
    for row in data["agreements"]:
        agreements[row["title"]] = _save(Agreement(municipality=municipality, **row), user)
    for row in data["promises"]:
        values = dict(row, agreement=agreements.get(row.get("agreement")))
        _save(CitizenPromise(municipality=municipality, **values), user)
    for row in data["forums"]:
        forum = _save(
            Forum(
                municipality=municipality,
                name=row["name"],
                kind=row["kind"],
                description=row.get("description", ""),
                led_by=row.get("led_by", ""),
            ),
            user,
        )
        for member in row.get("members", []):
            _save(
                ForumMember(
                    forum=forum,
                    organisation=_organisation(member.get("organisation")),
                    unit=units.get(member.get("unit", "")),
                    role=member.get("role", ""),
                ),
                user,
            )
        for meeting in row.get("meetings", []):
            _save(ForumMeeting(forum=forum, **meeting), user)
    for row in data["council_reports"]:
        _save(CouncilReport(municipality=municipality, **row), user)
    if not CoordinationFunction.objects.filter(municipality=municipality).exists():
        _save(CoordinationFunction(municipality=municipality, **data["coordination_function"]), user)
