"""Tenant-isolation cases of the law's cycle (trygg/tests/test_tenant_isolation.py): for every URL with an id,
make(municipality) creates an object owned by that municipality and returns the URL's kwargs. The create,
edit and delete URLs of every record type come from registry.KINDS, and so do their cases."""

from __future__ import annotations

import datetime as dt

from trygg.accounts.models import Unit
from trygg.assessments.models import (
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
from trygg.assessments.registry import KINDS
from trygg.plans.models import Activity, Area, Intervention, Plan


def _world(m) -> dict:
    a = Assessment.objects.create(
        municipality=m,
        title=f"Kartläggning {m.code}",
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
    )
    problem = Problem.objects.create(assessment=a, rank=1, title="Stöld ur motorfordon")
    cause = Cause.objects.create(problem=problem, title="Olåsta bilar", level="area", side="target")
    ap = ActionPlan.objects.create(
        municipality=m, assessment=a, title="Åtgärdsplan", period_start=2024, period_end=2025
    )
    forum = Forum.objects.create(municipality=m, name="Strategiskt råd", kind=Forum.Kind.STRATEGIC)
    agreement = Agreement.objects.create(
        municipality=m, title="Överenskommelse", parties="Kommunen, Polisen", purposes="Trygghet", areas="Hela",
        valid_from=dt.date(2024, 1, 1),
    )  # fmt: skip
    return {
        "assessment": a,
        "source": Source.objects.create(assessment=a, name="Brå"),
        "evidence": Evidence.objects.create(
            assessment=a, kind=Evidence.Kind.TEXT, title="Polisens lägesbild"
        ),
        "contribution": Contribution.objects.create(assessment=a, title="Polisens lägesbild"),
        "consultation": Consultation.objects.create(
            assessment=a, date=dt.date(2024, 3, 1), participants="Polisen"
        ),
        "problem": problem,
        "cause": cause,
        "actionplan": ap,
        "goal": Goal.objects.create(action_plan=ap, problem=problem, text="Färre stölder"),
        "measure": Measure.objects.create(action_plan=ap, cause=cause, title="Väktare", kind="situational"),
        "agreement": agreement,
        "promise": CitizenPromise.objects.create(
            municipality=m, title="Medborgarlöfte", promises="Vi lovar", valid_from=dt.date(2024, 1, 1)
        ),
        "forum": forum,
        "member": ForumMember.objects.create(forum=forum, role="Kommunpolis"),
        "forummeeting": ForumMeeting.objects.create(forum=forum, date=dt.date(2024, 2, 1)),
        "councilreport": CouncilReport.objects.create(
            municipality=m, date=dt.date(2024, 9, 1), subject="Rapport"
        ),
    }


def _pk_of(key: str):
    return lambda m: {"pk": _world(m)[key].pk}


def _parent_of(kind):
    parent_key = next(k.key for k in KINDS.values() if k.model is kind.parent_model())
    return _pk_of(parent_key)


def activity(m) -> dict:
    plan = Plan.objects.create(
        municipality=m, slug=f"plan-{m.code}", name="Plan", period_start=2024, period_end=2025
    )
    area = Area.objects.create(plan=plan, number=1, title="Område")
    intervention = Intervention.objects.create(area=area, number=1, title="Insats")
    return {"pk": Activity.objects.create(intervention=intervention, title="Aktivitet").pk}


def _unit(m):
    return Unit.objects.get_or_create(municipality=m, name="Säkerhetsenheten")[0]


CASES = {
    "assessments:assessment_detail": _pk_of("assessment"),
    "assessments:assessment_html": _pk_of("assessment"),
    "assessments:assessment_pdf": _pk_of("assessment"),
    "assessments:assessment_docx": _pk_of("assessment"),
    "assessments:problem_detail": _pk_of("problem"),
    "assessments:actionplan_detail": _pk_of("actionplan"),
    "assessments:actionplan_html": _pk_of("actionplan"),
    "assessments:actionplan_pdf": _pk_of("actionplan"),
    "assessments:actionplan_docx": _pk_of("actionplan"),
    "assessments:actionplan_adopt": _pk_of("actionplan"),
    "assessments:measure_link": _pk_of("measure"),
    "assessments:forum_detail": _pk_of("forum"),
    "assessments:activity_chain": activity,
}
for _kind in KINDS.values():
    CASES[f"assessments:{_kind.key}_edit"] = _pk_of(_kind.key)
    CASES[f"assessments:{_kind.key}_delete"] = _pk_of(_kind.key)
    if _kind.parent:
        CASES[f"assessments:{_kind.key}_create"] = _parent_of(_kind)

EXEMPT = {
    "assessments:public_contact": "public page by kommunkod: the samordningsfunktion's contact details are shown "
    "to anyone without login (test_views.test_public_contact_*)",
}
