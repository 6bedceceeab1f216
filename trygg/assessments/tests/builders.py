"""Small builders for the law's-cycle tests: a kartläggning with one problem, a cause and an underlying cause,
and an action plan with a goal and a measure, all written through the actions."""

from __future__ import annotations

import datetime as dt

from trygg.accounts.models import Unit
from trygg.assessments import actions
from trygg.assessments.models import ActionPlan, Assessment, Cause, Goal, Measure, Problem


def make_assessment(m, user, **fields) -> Assessment:
    values = {
        "title": "Kartläggning 2024",
        "period_start": dt.date(2023, 1, 1),
        "period_end": dt.date(2023, 12, 31),
        **fields,
    }
    return actions.do_save(Assessment(municipality=m, **values), acting_user=user).obj


def make_problem(assessment, user, **fields) -> Problem:
    values = {"rank": 1, "title": "Stöld ur motorfordon", **fields}
    return actions.do_save(Problem(assessment=assessment, **values), acting_user=user).obj


def make_cause(problem, user, **fields) -> Cause:
    values = {
        "title": "Olåsta bilar vid ställplatser",
        "level": Cause.Level.AREA,
        "side": Cause.Side.TARGET,
        **fields,
    }
    return actions.do_save(Cause(problem=problem, **values), acting_user=user).obj


def make_action_plan(assessment, user, **fields) -> ActionPlan:
    values = {"title": "Åtgärdsplan 2024–2025", "period_start": 2024, "period_end": 2025, **fields}
    return actions.do_save(
        ActionPlan(municipality=assessment.municipality, assessment=assessment, **values), acting_user=user
    ).obj


def make_measure(action_plan, cause, user, **fields) -> Measure:
    values = {
        "title": "Riktad väktartillsyn vid ställplatserna",
        "kind": Measure.Kind.SITUATIONAL,
        "start": dt.date(2024, 6, 1),
        "end": dt.date(2025, 8, 31),
        **fields,
    }
    return actions.do_save_measure(
        Measure(action_plan=action_plan, cause=cause, **values), acting_user=user
    ).obj


def make_chain(m, user):
    """Kartläggning → problem → cause → underlying cause; action plan → goal, measure on the cause."""
    unit = Unit.objects.get_or_create(municipality=m, name="Säkerhetsenheten")[0]
    assessment = make_assessment(m, user)
    problem = make_problem(assessment, user)
    cause = make_cause(problem, user)
    underlying = make_cause(
        problem, user, parent=cause, title="Låg kunskap om stöldrisk", level=Cause.Level.INDIVIDUAL
    )
    action_plan = make_action_plan(assessment, user)
    goal = actions.do_save(
        Goal(action_plan=action_plan, problem=problem, text="Färre stölder ur bilar vid ställplatserna"),
        acting_user=user,
    ).obj
    measure = make_measure(action_plan, cause, user, owner=unit)
    return {
        "assessment": assessment,
        "problem": problem,
        "cause": cause,
        "underlying": underlying,
        "action_plan": action_plan,
        "goal": goal,
        "measure": measure,
        "unit": unit,
    }
