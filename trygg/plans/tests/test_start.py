"""The start page: what needs me now, per role, scoped to the current municipality."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from trygg.plans.actions import do_set_activity_status
from trygg.situation.models import Incident, Meeting

from .builders import build_plan

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def demo(unit, other_unit):
    plan, follow_up = build_plan(units=[unit, other_unit], areas=1, activities=4, with_statuses=False)
    activities = list(plan.areas.get().interventions.get().activities.order_by("pk"))
    return plan, follow_up, activities


def test_unit_editor_sees_own_unreported_activities(personas, login, demo, unit):
    plan, follow_up, activities = demo
    own = [a for a in activities if unit in a.units.all()]
    do_set_activity_status(own[0], follow_up, "ongoing", "", acting_user=None)
    body = text(login(personas["unit_editor"]).get(reverse("home")))
    assert "Mina aktiviteter utan status i år" in body
    assert (
        own[0].title + " "
        not in body.split("Mina aktiviteter utan status i år")[1].split("Rapportera status")[0]
    )
    for activity in own[1:]:
        assert activity.title in body


def test_coordinator_sees_counts_of_unreported(personas, login, demo):
    plan, follow_up, activities = demo
    do_set_activity_status(activities[0], follow_up, "done", "", acting_user=None)
    body = text(login(personas["coordinator"]).get(reverse("home")))
    assert f"3 av 4 aktiviteter saknar status i {follow_up.title}" in body


def test_new_incidents_since_last_visit_and_next_meeting(
    personas, login, demo, municipality, other_municipality
):
    client = login(personas["partner"])
    client.get(reverse("home"))  # the visit
    from django.utils import timezone

    Meeting.objects.create(municipality=municipality, date=timezone.localdate() + dt.timedelta(days=3))

    from trygg.situation.models import Category

    category = Category.objects.first() or Category.objects.create(name="Skadegörelse", slug="skadegorelse")
    for m in (municipality, municipality, other_municipality):  # the other municipality's never counts
        Incident.objects.create(
            municipality=m,
            category=category,
            occurred_from=timezone.now(),
            location_precision=Incident.Precision.NONE,
        )
    body = text(client.get(reverse("home")))
    incidents = body.split("Nya händelser sedan ditt senaste besök", 1)[1]
    assert incidents.split()[0] == "2"
    assert "Nästa lägesbildsmöte" in body and "Inget möte är inplanerat" not in body
    assert "Rapportera händelse" in body  # a partner may write the lägesbild


def test_reader_gets_no_report_link_and_outsider_no_data(personas, login, demo):
    body = text(login(personas["reader"]).get(reverse("home")))
    assert "Rapportera händelse" not in body
    outsider = login(personas["outsider"]).get(reverse("home"))
    assert outsider.status_code == 200 and "ingen roll" in text(outsider)


def test_start_is_get_only(personas, login):
    assert login(personas["reader"]).post(reverse("home")).status_code == 405
