"""The chain problem → cause → measure → plan activity → yearly status, both ways, and what happens when
either side is changed or deleted."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.assessments import actions
from trygg.assessments.chain import chain_for_activity, load_action_plan
from trygg.assessments.models import Measure
from trygg.plans import actions as plan_actions
from trygg.plans.models import Activity, ActivityStatus, Plan

from .builders import make_cause, make_chain, make_measure


@pytest.fixture
def chain(municipality, personas):
    return make_chain(municipality, personas["coordinator"])


def adopt(chain, user, **kwargs):
    return actions.do_adopt_action_plan(
        chain["action_plan"],
        decided_by="Kommunfullmäktige",
        decided_on=dt.date(2024, 6, 17),
        diary_number="KS2024/0123",
        acting_user=user,
        **kwargs,
    )


def test_adopting_makes_each_measure_an_activity_of_a_new_plan(chain, personas):
    result = adopt(chain, personas["coordinator"])
    measure = Measure.objects.get(pk=chain["measure"].pk)
    activity = measure.activity
    assert activity is not None and measure.adopted
    assert activity.title == "Riktad väktartillsyn vid ställplatserna"
    assert (activity.planned_start, activity.planned_end) == (dt.date(2024, 6, 1), dt.date(2025, 8, 31))
    assert list(activity.units.all()) == [chain["unit"]]
    # problem → delområde, cause → insats
    assert activity.intervention.area.title == "Stöld ur motorfordon"
    assert activity.intervention.title == "Orsak: Olåsta bilar vid ställplatser"
    assert "Mål: Färre stölder" in activity.intervention.area.description
    plan = activity.intervention.area.plan
    assert result.created_plan and plan.name == "Åtgärdsplan 2024–2025"
    assert (plan.adopted_by, plan.adopted_on, plan.diary_number) == (
        "Kommunfullmäktige",
        dt.date(2024, 6, 17),
        "KS2024/0123",
    )
    ap = type(chain["action_plan"]).objects.get(pk=chain["action_plan"].pk)
    assert ap.plan == plan and ap.decided_on == dt.date(2024, 6, 17)
    # and back: activity → measure → cause → problem
    back = chain_for_activity(activity)
    assert back.measure == measure
    assert back.causes[0] == chain["cause"] and back.measure.cause.problem == chain["problem"]


def test_adopting_into_an_existing_plan_adds_an_area_after_its_own(chain, personas):
    user = personas["coordinator"]
    plan = plan_actions.do_create_plan(
        {
            "municipality": chain["assessment"].municipality,
            "slug": "trygg",
            "name": "Trygg",
            "period_start": 2023,
            "period_end": 2027,
        },
        acting_user=user,
    ).obj
    plan_actions.do_create_area({"plan": plan, "number": 1, "title": "Befintligt"}, acting_user=user)
    result = adopt(chain, user, plan=plan)
    assert not result.created_plan and Plan.objects.count() == 1
    area = Measure.objects.get(pk=chain["measure"].pk).activity.intervention.area
    assert (area.plan, area.number) == (plan, 2)


def test_a_linked_measure_keeps_its_existing_activity(chain, personas):
    user = personas["coordinator"]
    m = chain["assessment"].municipality
    plan = plan_actions.do_create_plan(
        {"municipality": m, "slug": "trygg", "name": "Trygg", "period_start": 2023, "period_end": 2027},
        acting_user=user,
    ).obj
    area = plan_actions.do_create_area({"plan": plan, "number": 1, "title": "Brott"}, acting_user=user).obj
    intervention = plan_actions.do_create_intervention(
        {"area": area, "number": 1, "title": "Insats: Främja"}, acting_user=user
    ).obj
    existing = plan_actions.do_create_activity(
        {"intervention": intervention, "title": "Områdesbaserat arbete"}, acting_user=user
    ).obj
    second = make_measure(
        chain["action_plan"], chain["underlying"], user, title="Information till husbilsägare"
    )
    actions.do_link_activity(second, existing, acting_user=user)
    result = adopt(chain, user, plan=plan)
    assert result.linked == [existing] and len(result.created) == 1
    second.refresh_from_db()
    assert second.activity == existing and second.adopted
    assert Activity.objects.filter(intervention__area__plan=plan).count() == 2
    # an activity already linked to another measure cannot be linked again
    first = Measure.objects.get(pk=chain["measure"].pk)
    with pytest.raises(actions.AssessmentError, match="redan kopplad"):
        actions.do_link_activity(first, existing, acting_user=user)


def test_the_yearly_status_flows_back_to_the_action_plan(chain, personas):
    user = personas["coordinator"]
    result = adopt(chain, user)
    activity = result.created[0]
    for year, status in ((2024, "ongoing"), (2025, "done_deviation")):
        follow_up = plan_actions.do_create_follow_up(
            {"plan": result.plan, "year": year, "date": dt.date(year + 1, 2, 20)}, acting_user=user
        ).obj
        plan_actions.do_set_activity_status(
            activity, follow_up, status, f"Kommentar {year}", acting_user=user
        )
    data = load_action_plan(chain["action_plan"])
    measure = data.problems[0].measures[0]
    status = data.status_of(measure)
    assert (status.follow_up.year, status.status, status.comment) == (
        2025,
        "done_deviation",
        "Kommentar 2025",
    )


def test_changing_the_measure_changes_its_activity(chain, personas):
    user = personas["coordinator"]
    adopt(chain, user)
    measure = Measure.objects.get(pk=chain["measure"].pk)
    measure.title = "Väktartillsyn vid ställplatser och Bohus fästning"
    measure.end = dt.date(2025, 12, 31)
    actions.do_save_measure(measure, acting_user=user)
    activity = Activity.objects.get(pk=measure.activity_id)
    assert activity.title == "Väktartillsyn vid ställplatser och Bohus fästning"
    assert activity.planned_end == dt.date(2025, 12, 31)


def test_deleting_the_activity_leaves_the_measure_with_a_visible_state(chain, personas):
    adopt(chain, personas["coordinator"])
    measure = Measure.objects.get(pk=chain["measure"].pk)
    assert measure.link_state == Measure.LinkState.LINKED
    Activity.objects.filter(pk=measure.activity_id).delete()
    measure.refresh_from_db()
    assert measure.activity is None
    assert measure.link_state == Measure.LinkState.REMOVED
    assert measure.link_state_label == "Aktiviteten finns inte längre i planen"


def test_deleting_the_plan_leaves_the_action_plan_and_its_measures(chain, personas):
    result = adopt(chain, personas["coordinator"])
    result.plan.delete()  # cascades to areas, interventions, activities, statuses
    ap = type(chain["action_plan"]).objects.get(pk=chain["action_plan"].pk)
    assert ap.plan is None and ap.adopted
    assert [m.link_state for m in ap.measures.all()] == [Measure.LinkState.REMOVED]


def test_a_measure_that_is_an_activity_cannot_be_deleted(chain, personas):
    user = personas["coordinator"]
    adopt(chain, user)
    measure = Measure.objects.get(pk=chain["measure"].pk)
    with pytest.raises(actions.AssessmentError, match="följs upp som aktivitet"):
        actions.do_delete(measure, acting_user=user)
    assert (
        Measure.objects.filter(pk=measure.pk).exists()
        and Activity.objects.filter(pk=measure.activity_id).exists()
    )


def test_a_cause_or_problem_with_measures_cannot_be_deleted(chain, personas):
    user = personas["coordinator"]
    for obj in (chain["cause"], chain["problem"]):
        with pytest.raises(actions.AssessmentError, match="åtgärder"):
            actions.do_delete(obj, acting_user=user)
    # a measure on the underlying cause also protects the cause above it
    make_measure(chain["action_plan"], chain["underlying"], user, title="Informationskampanj")
    Measure.objects.filter(pk=chain["measure"].pk).delete()
    with pytest.raises(actions.AssessmentError, match="underliggande"):
        actions.do_delete(chain["cause"], acting_user=user)


def test_a_draft_measure_and_an_empty_cause_can_be_deleted(chain, personas):
    user = personas["coordinator"]
    actions.do_delete(Measure.objects.get(pk=chain["measure"].pk), acting_user=user)
    leaf = make_cause(chain["problem"], user, title="Löst")
    actions.do_delete(leaf, acting_user=user)
    assert not Measure.objects.exists()


def test_an_adopted_plan_cannot_be_adopted_twice_or_deleted(chain, personas):
    user = personas["coordinator"]
    adopt(chain, user)
    with pytest.raises(actions.AssessmentError, match="redan antagen"):
        adopt(chain, user)
    with pytest.raises(actions.AssessmentError, match="antagen"):
        actions.do_delete(
            type(chain["action_plan"]).objects.get(pk=chain["action_plan"].pk), acting_user=user
        )


def test_adoption_fails_whole_when_a_write_is_refused(chain, personas):
    user = personas["coordinator"]
    with pytest.raises(actions.AssessmentError):
        actions.do_adopt_action_plan(
            chain["action_plan"], decided_by="", decided_on=dt.date(2024, 6, 17), acting_user=user
        )
    assert not Plan.objects.exists() and not Activity.objects.exists()
    assert not ActivityStatus.objects.exists()


def test_a_cause_cannot_hang_under_a_cause_of_another_problem_or_itself(chain, personas):
    user = personas["coordinator"]
    from .builders import make_problem

    other = make_problem(chain["assessment"], user, rank=2, title="Ungdomshäng")
    cause = make_cause(other, user)
    cause.parent = chain["cause"]
    with pytest.raises(actions.AssessmentError, match="annat problem"):
        actions.do_save(cause, acting_user=user)
    top = chain["cause"]
    top.parent = chain["underlying"]
    with pytest.raises(actions.AssessmentError, match="sig själv"):
        actions.do_save(top, acting_user=user)


def test_links_to_another_municipality_are_refused(chain, personas, other_municipality):
    from trygg.accounts.models import Unit

    foreign = Unit.objects.create(municipality=other_municipality, name="Ales enhet")
    measure = Measure.objects.get(pk=chain["measure"].pk)
    measure.owner = foreign
    with pytest.raises(actions.AssessmentError, match="samma kommun"):
        actions.do_save_measure(measure, acting_user=personas["coordinator"])
