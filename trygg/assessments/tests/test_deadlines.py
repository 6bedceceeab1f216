"""The law's deadlines (6 § and 13 §) with fixed dates: the plain rules, and the same facts shown as overdue on
the start page and on the checklist page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from trygg.assessments import actions, deadlines
from trygg.assessments.deadlines import Facts, State
from trygg.assessments.models import CoordinationFunction, CouncilReport
from trygg.plans import actions as plan_actions

from .builders import make_chain

D = dt.date


def state(fn, facts, today):
    return fn(facts, today).state


def test_a_lagesbild_older_than_two_years_is_overdue():
    facts = Facts(lagesbild_on=D(2024, 5, 1))
    assert state(deadlines.lagesbild, facts, D(2025, 12, 1)) is State.OK
    assert state(deadlines.lagesbild, facts, D(2026, 3, 1)) is State.DUE  # within 90 days of 2026-05-01
    assert state(deadlines.lagesbild, facts, D(2026, 5, 1)) is State.DUE  # the last day
    assert state(deadlines.lagesbild, facts, D(2026, 5, 2)) is State.OVERDUE


def test_no_lagesbild_is_overdue_after_the_first_deadline():
    assert state(deadlines.lagesbild, Facts(), D(2024, 7, 1)) is State.DUE
    assert state(deadlines.lagesbild, Facts(), D(2024, 7, 2)) is State.OVERDUE
    assert state(deadlines.action_plan, Facts(), D(2024, 7, 2)) is State.OVERDUE


def test_a_plan_not_followed_up_in_two_years_is_overdue():
    decided = Facts(plan_decided_on=D(2024, 6, 17))
    assert state(deadlines.follow_up, decided, D(2026, 6, 17)) is State.DUE
    assert state(deadlines.follow_up, decided, D(2026, 6, 18)) is State.OVERDUE
    followed = Facts(plan_decided_on=D(2024, 6, 17), last_follow_up_on=D(2025, 2, 20))
    assert state(deadlines.follow_up, followed, D(2026, 6, 18)) is State.OK
    assert state(deadlines.follow_up, followed, D(2027, 2, 21)) is State.OVERDUE


def test_a_missing_report_to_the_council_is_overdue_three_months_after_the_decision():
    facts = Facts(plan_decided_on=D(2024, 6, 17))
    assert state(deadlines.council_report, facts, D(2024, 9, 15)) is State.DUE
    assert state(deadlines.council_report, facts, D(2024, 9, 16)) is State.OVERDUE
    reported = Facts(plan_decided_on=D(2024, 6, 17), last_council_report_on=D(2024, 9, 1))
    assert state(deadlines.council_report, reported, D(2024, 12, 1)) is State.OK
    # a follow-up after the report needs a new report
    later = Facts(
        plan_decided_on=D(2024, 6, 17), last_council_report_on=D(2024, 9, 1), last_follow_up_on=D(2025, 2, 20)
    )
    assert state(deadlines.council_report, later, D(2025, 6, 1)) is State.OVERDUE


def test_a_plan_decided_before_the_latest_lagesbild_is_due_for_a_new_decision():
    facts = Facts(lagesbild_on=D(2026, 4, 1), plan_decided_on=D(2024, 6, 17))
    assert state(deadlines.action_plan, facts, D(2026, 5, 1)) is State.DUE


def test_coordination_duties():
    today = D(2025, 1, 1)
    assert state(deadlines.coordination, Facts(), today) is State.OVERDUE
    assert state(deadlines.coordination, Facts(coordination_function="x"), today) is State.OK
    assert state(deadlines.agreements, Facts(), today) is State.DUE
    assert (
        state(
            deadlines.agreements, Facts(agreements_in_force=1, next_agreement_revision=D(2024, 12, 31)), today
        )
        is State.OVERDUE
    )
    assert (
        state(
            deadlines.strategic_council,
            Facts(strategic_council="Rådet", council_last_meeting=D(2024, 11, 1)),
            today,
        )
        is State.OK
    )
    assert (
        state(
            deadlines.strategic_council,
            Facts(strategic_council="Rådet", council_last_meeting=D(2023, 11, 1)),
            today,
        )
        is State.DUE
    )


def test_add_years_handles_leap_day():
    assert deadlines.add_years(D(2024, 2, 29), 2) == D(2026, 2, 28)


def test_the_wheel_orders_events_and_deadlines():
    facts = Facts(lagesbild_on=D(2024, 5, 1), plan_decided_on=D(2024, 6, 17))
    items = deadlines.wheel(facts, D(2024, 7, 1), [(D(2024, 5, 1), "Lägesbild fastställd")])
    dates = [m.date for m in items]
    assert dates == sorted(dates)
    assert items[0].done and items[0].text == "Lägesbild fastställd"
    assert any(not m.done and m.date == D(2026, 5, 1) for m in items)  # the lägesbild renewed


@pytest.fixture
def late_municipality(municipality, personas):
    """Lägesbild 2024-04-30, plan decided 2024-06-17 into a plan followed up 2024-06-30, no report to the
    council, a samordningsfunktion: by 2026-09-01 three duties are overdue."""
    user = personas["coordinator"]
    chain = make_chain(municipality, user)
    a = chain["assessment"]
    a.completed_on = D(2024, 4, 30)
    actions.do_save(a, acting_user=user)
    result = actions.do_adopt_action_plan(
        chain["action_plan"], decided_by="Kommunfullmäktige", decided_on=D(2024, 6, 17), acting_user=user
    )
    plan_actions.do_create_follow_up(
        {"plan": result.plan, "year": 2024, "date": D(2024, 6, 30)}, acting_user=user
    )
    actions.do_save(
        CoordinationFunction(municipality=municipality, email="trygg@kungalv.se"), acting_user=user
    )
    return municipality


OVERDUE_TITLES = ("Lägesbild (kartläggning)", "Uppföljning av åtgärdsplanen", "Rapport till fullmäktige")


@time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_overdue_duties_show_on_the_start_page_and_the_checklist(late_municipality, personas, login):
    client = login(personas["coordinator"])
    start = client.get(reverse("home")).content.decode()
    assert "Lagens krav: försenat" in start
    for title in OVERDUE_TITLES:
        assert title in start.split('id="law-h"')[1].split("</section>")[0]
    page = client.get(reverse("assessments:index")).content.decode()
    for key in ("lagesbild", "uppfoljning", "rapport"):
        row = page.split(f'data-duty="{key}"')[1].split("</tr>")[0]
        assert "duty-overdue" in row, key
    assert "duty-ok" in page.split('data-duty="samordning"')[1].split("</tr>")[0]


@time_machine.travel(dt.datetime(2024, 8, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_nothing_is_flagged_while_the_work_is_on_time(late_municipality, personas, login):
    user = personas["coordinator"]
    actions.do_save(
        CouncilReport(municipality=late_municipality, date=D(2024, 7, 15), subject="Åtgärdsplan 2024–2025"),
        acting_user=user,
    )
    start = login(user).get(reverse("home")).content.decode()
    assert "Lagens krav: försenat" not in start


@time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_only_coordinators_see_the_law_card(late_municipality, personas, login):
    start = login(personas["reader"]).get(reverse("home")).content.decode()
    assert "Lagens krav: försenat" not in start
