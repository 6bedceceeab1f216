"""Fixtures for plan tests: a filled-in plan of any size, and a snapshot of everything plans store."""

from datetime import date

import pytest

from trygg.accounts.models import Unit
from trygg.conftest import MUNICIPALITY_A
from trygg.places.loading import load_municipality
from trygg.plans.actions import do_set_activity_status
from trygg.plans.exchange import export_plan
from trygg.plans.models import (
    Activity,
    ActivityStatus,
    Area,
    FollowUp,
    Intervention,
    Plan,
    Program,
    StatusChange,
)
from trygg.plans.status_rules import Status

PLAN_UNIT_NAMES = ("Säkerhetsenheten", "Sektor Trygghet och Stöd", "Folkhälsa")


def create_plan(
    *,
    slug: str = "trygg-test",
    areas: int = 2,
    interventions: int = 2,
    activities: int = 3,
    years: tuple[int, ...] = (2023, 2024),
    program: bool = True,
    municipality=None,
) -> Plan:
    """A plan that uses every field of the exchange format.

    `areas` × `interventions` × `activities` activities; units vary (none, one, two); some activities have
    no planned dates; every third is a political assignment with a reference; a follow-up per year with
    texts, and a status for every activity except the last one in each follow-up.
    """
    municipality = municipality or load_municipality(MUNICIPALITY_A)
    units = [Unit.objects.get_or_create(municipality=municipality, name=name)[0] for name in PLAN_UNIT_NAMES]
    owner = None
    if program:
        owner = Program.objects.create(
            municipality=municipality,
            name="Social hållbarhet – ökat innanförskap",
            adopted_by="Kommunfullmäktige",
            adopted_on=date(2019, 12, 19),
            diary_number="KS2019/0202",
        )
    plan = Plan.objects.create(
        municipality=municipality,
        program=owner,
        slug=slug,
        name=f"Trygg i test ({slug})",
        period_start=2023,
        period_end=2027,
        adopted_by="Kommunfullmäktige",
        adopted_on=date(2023, 3, 30) if program else None,
        diary_number="KS2023/0042",
    )
    all_activities = []
    for a in range(1, areas + 1):
        area = Area.objects.create(
            plan=plan,
            number=a,
            title=f"Delområde {a}",
            description=f"Beskrivning {a}.\n\n- punkt ett\n- punkt två",
        )
        for i in range(1, interventions + 1):
            intervention = Intervention.objects.create(area=area, number=i, title=f"Insats: åtgärder {a}.{i}")
            for k in range(activities):
                n = len(all_activities)
                activity = Activity.objects.create(
                    intervention=intervention,
                    title=f"Aktivitet {a}.{i}.{k + 1} – ”citat” & <b>tecken</b>",
                    planned_start=None if n % 4 == 3 else date(2023, 1 + n % 12, 1),
                    planned_end=None if n % 4 == 3 else date(2027, 12, 31),
                    political_assignment=n % 3 == 0,
                    political_reference=f"KS {2023}/{n}" if n % 3 == 0 else "",
                    order=k,
                )
                activity.units.set(units[: n % 3])
                all_activities.append(activity)
    statuses = list(Status)
    for year in years:
        follow_up = FollowUp.objects.create(
            plan=plan,
            year=year,
            date=date(year + 1, 2, 20),
            introduction=f"Inledning {year}.\n\nAndra stycket.",
            summary=f"Sammanfattning {year}: *viktigt*.",
            current_analysis=f"Nulägesanalys {year}.",
        )
        for n, activity in enumerate(all_activities[:-1]):
            do_set_activity_status(
                activity,
                follow_up,
                statuses[(n + year) % len(statuses)].value,
                f"Kommentar {year} för aktivitet {n}.\nRad två." if n % 5 else "",
                acting_user=None,
                source="test",
            )
    return plan


@pytest.fixture
def make_plan(db):
    """Factory fixture: make_plan(slug=..., areas=..., interventions=..., activities=..., years=...)."""
    return create_plan


@pytest.fixture
def sample_plan(make_plan) -> Plan:
    """A small plan (2 areas × 2 interventions × 3 activities, follow-ups 2023 and 2024) with a program."""
    return make_plan()


def plan_db_state() -> dict:
    """Everything the plans app stores, to compare before and after an import that must change nothing."""
    return {
        "exports": {plan.slug: export_plan(plan) for plan in Plan.objects.order_by("slug")},
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                Program,
                Plan,
                Area,
                Intervention,
                Activity,
                FollowUp,
                ActivityStatus,
                StatusChange,
                Unit,
            )
        },
        "status_times": sorted(ActivityStatus.objects.values_list("pk", "updated_at")),
    }


def load_demo(code: str = MUNICIPALITY_A) -> Plan:
    """The demo plan of a demo municipality (Kungälv: the reference report; Ale: made up), loaded the way
    `manage.py load_demo` loads it."""
    from trygg.demo import plans as demo_plans

    municipality = load_municipality(code)
    demo_plans.load(municipality, acting_user=None)
    return Plan.objects.get(municipality=municipality)


def clear_plan_data() -> None:
    """Delete every plan, program and unit, as in an empty database."""
    Plan.objects.all().delete()
    Program.objects.all().delete()
    Unit.objects.all().delete()
