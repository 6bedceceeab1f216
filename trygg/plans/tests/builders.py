"""Small builders for plan tests (no factory library): a plan of any size with one follow-up."""

from datetime import date

from trygg.accounts.models import Unit
from trygg.conftest import MUNICIPALITY_A
from trygg.places.loading import load_municipality
from trygg.plans.actions import do_set_activity_status
from trygg.plans.models import Activity, Area, FollowUp, Intervention, Plan
from trygg.plans.status_rules import Status

STATUS_CYCLE = [s.value for s in Status]


def build_plan(
    *,
    slug="testplan",
    areas=2,
    interventions=1,
    activities=3,
    units=None,
    year=2023,
    with_statuses=True,
    comment="Kommentar {n}",
    municipality=None,
):
    """A plan of `municipality` (default: A, Kungälv) with `areas` × `interventions` × `activities` activities
    and a follow-up for `year`."""
    municipality = municipality or load_municipality(MUNICIPALITY_A)
    units = units or [Unit.objects.get_or_create(municipality=municipality, name="Säkerhetsenheten")[0]]
    plan = Plan.objects.create(
        municipality=municipality, slug=slug, name=f"Plan {slug}", period_start=2023, period_end=2027
    )
    follow_up = FollowUp.objects.create(plan=plan, year=year, date=date(year + 1, 2, 20))
    n = 0
    for a in range(1, areas + 1):
        area = Area.objects.create(
            plan=plan, number=a, title=f"Delområde {a}", description=f"Beskrivning {a}"
        )
        for i in range(1, interventions + 1):
            intervention = Intervention.objects.create(area=area, number=i, title=f"Insats: {a}.{i}")
            for k in range(activities):
                activity = Activity.objects.create(
                    intervention=intervention,
                    title=f"Aktivitet {a}.{i}.{k + 1}",
                    planned_start=date(2023, 1, 1),
                    planned_end=date(2027, 12, 31),
                    political_assignment=(k == 0),
                    order=k,
                )
                activity.units.set([units[n % len(units)]])
                if with_statuses:
                    do_set_activity_status(
                        activity,
                        follow_up,
                        STATUS_CYCLE[n % len(STATUS_CYCLE)],
                        comment.format(n=n),
                        acting_user=None,
                        source="test",
                    )
                n += 1
    return plan, follow_up
