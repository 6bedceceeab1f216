"""Audit cases for every do_* action of the plans app (trygg/tests/test_audit.py): each change leaves one
audit row with the true old and new values, and the same call with nothing new leaves none. The status
history (StatusChange) is the audit trail of do_set_activity_status."""

from __future__ import annotations

import uuid
from datetime import date

from trygg.accounts.models import Unit
from trygg.plans import actions
from trygg.plans.models import Plan, Program, StatusChange
from trygg.plans.tests.builders import build_plan
from trygg.tests.cases import AuditCase


def _tree(ctx):
    plan, follow_up = build_plan(slug="revision", areas=1, activities=1, municipality=ctx.municipality)
    area = plan.areas.get()
    intervention = area.interventions.get()
    return plan, follow_up, area, intervention, intervention.activities.get()


def create_unit(ctx):
    return AuditCase(
        change=lambda: actions.do_create_unit(ctx.municipality, "Fritid", acting_user=ctx.user),
        expect={"name": [None, "Fritid"], "municipality": [None, ctx.municipality.pk]},
    )


def create_program(ctx):
    values = {"municipality": ctx.municipality, "name": "Social hållbarhet", "adopted_on": date(2019, 12, 19)}
    return AuditCase(
        change=lambda: actions.do_create_program(values, acting_user=ctx.user),
        expect={"name": [None, "Social hållbarhet"], "adopted_on": [None, "2019-12-19"]},
    )


def update_program(ctx):
    program = Program.objects.create(municipality=ctx.municipality, name="Gammalt namn")
    return AuditCase(
        change=lambda: actions.do_update_program(program, {"name": "Nytt namn"}, acting_user=ctx.user),
        expect={"name": ["Gammalt namn", "Nytt namn"]},
        unchanged=lambda: actions.do_update_program(program, {"name": "Nytt namn"}, acting_user=ctx.user),
    )


def create_plan(ctx):
    values = {
        "municipality": ctx.municipality,
        "slug": "ny-plan",
        "name": "Ny plan",
        "period_start": 2025,
        "period_end": 2027,
    }
    return AuditCase(
        change=lambda: actions.do_create_plan(values, acting_user=ctx.user),
        expect={
            "name": [None, "Ny plan"],
            "period_end": [None, 2027],
            "municipality": [None, ctx.municipality.pk],
        },
    )


def update_plan(ctx):
    plan = Plan.objects.create(
        municipality=ctx.municipality, slug="p", name="Plan", period_start=2023, period_end=2026
    )
    values = {"period_end": 2027, "adopted_by": "Kommunfullmäktige"}
    return AuditCase(
        change=lambda: actions.do_update_plan(plan, values, acting_user=ctx.user),
        expect={"period_end": [2026, 2027], "adopted_by": ["", "Kommunfullmäktige"]},
        unchanged=lambda: actions.do_update_plan(plan, values, acting_user=ctx.user),
    )


def create_area(ctx):
    plan = _tree(ctx)[0]
    values = {"plan": plan, "number": 7, "title": "Trafik", "description": "Text"}
    return AuditCase(
        change=lambda: actions.do_create_area(values, acting_user=ctx.user),
        expect={"number": [None, 7], "title": [None, "Trafik"], "plan": [None, plan.pk]},
    )


def update_area(ctx):
    area = _tree(ctx)[2]
    values = {"title": "Ny rubrik", "description": "Ny beskrivning"}
    return AuditCase(
        change=lambda: actions.do_update_area(area, values, acting_user=ctx.user),
        expect={"title": ["Delområde 1", "Ny rubrik"], "description": ["Beskrivning 1", "Ny beskrivning"]},
        unchanged=lambda: actions.do_update_area(area, values, acting_user=ctx.user),
    )


def create_intervention(ctx):
    area = _tree(ctx)[2]
    values = {"area": area, "number": 2, "title": "Insats: belysning"}
    return AuditCase(
        change=lambda: actions.do_create_intervention(values, acting_user=ctx.user),
        expect={"number": [None, 2], "title": [None, "Insats: belysning"]},
    )


def update_intervention(ctx):
    intervention = _tree(ctx)[3]
    return AuditCase(
        change=lambda: actions.do_update_intervention(intervention, {"number": 5}, acting_user=ctx.user),
        expect={"number": [1, 5]},
        unchanged=lambda: actions.do_update_intervention(intervention, {"number": 5}, acting_user=ctx.user),
    )


def create_activity(ctx):
    intervention = _tree(ctx)[3]
    unit = Unit.objects.get(municipality=ctx.municipality, name="Säkerhetsenheten")
    values = {"intervention": intervention, "title": "Ny aktivitet", "order": 3, "uid": uuid.uuid4()}
    return AuditCase(
        change=lambda: actions.do_create_activity(values, units=[unit], acting_user=ctx.user),
        expect={"title": [None, "Ny aktivitet"], "order": [None, 3], "units": [[], [unit.pk]]},
    )


def update_activity(ctx):
    activity = _tree(ctx)[4]
    unit = Unit.objects.create(municipality=ctx.municipality, name="Folkhälsa")
    old_units = [u.pk for u in activity.units.all()]
    values = {"political_reference": "KS 2025/1", "planned_end": date(2026, 6, 30)}
    return AuditCase(
        change=lambda: actions.do_update_activity(activity, values, units=[unit], acting_user=ctx.user),
        expect={
            "political_reference": ["", "KS 2025/1"],
            "planned_end": ["2027-12-31", "2026-06-30"],
            "units": [old_units, [unit.pk]],
        },
        unchanged=lambda: actions.do_update_activity(activity, values, units=[unit], acting_user=ctx.user),
    )


def create_follow_up(ctx):
    plan = _tree(ctx)[0]
    values = {"plan": plan, "year": 2024, "date": date(2025, 2, 20), "summary": "Kort"}
    return AuditCase(
        change=lambda: actions.do_create_follow_up(values, acting_user=ctx.user),
        expect={"year": [None, 2024], "date": [None, "2025-02-20"], "summary": [None, "Kort"]},
    )


def update_follow_up(ctx):
    follow_up = _tree(ctx)[1]
    values = {"recipient": "Kommunfullmäktige", "introduction": "Ny inledning"}
    return AuditCase(
        change=lambda: actions.do_update_follow_up(follow_up, values, acting_user=ctx.user),
        expect={"recipient": ["Kommunstyrelse", "Kommunfullmäktige"], "introduction": ["", "Ny inledning"]},
        unchanged=lambda: actions.do_update_follow_up(follow_up, values, acting_user=ctx.user),
    )


def set_activity_status(ctx):
    _, follow_up, _, _, activity = _tree(ctx)
    actions.do_set_activity_status(activity, follow_up, "ongoing", "Före", acting_user=ctx.user)

    def change():
        return actions.do_set_activity_status(activity, follow_up, "done", "Efter", acting_user=ctx.user)

    return AuditCase(
        change=change,
        expect={"status": ["ongoing", "done"], "comment": ["Före", "Efter"], "by": [None, ctx.user.pk]},
        unchanged=change,
        rows=lambda: StatusChange.objects.filter(activity=activity),
        changes_of=lambda row: {
            "status": [row.old_status, row.new_status],
            "comment": [row.old_comment, row.new_comment],
            "by": [None, row.changed_by_id],
        },
    )


def set_plan_published(ctx):
    plan = _tree(ctx)[0]
    return AuditCase(
        change=lambda: actions.do_set_plan_published(plan, True, acting_user=ctx.user),
        expect={"published": [False, True]},
        unchanged=lambda: actions.do_set_plan_published(plan, True, acting_user=ctx.user),
    )


def set_follow_up_published(ctx):
    follow_up = _tree(ctx)[1]
    return AuditCase(
        change=lambda: actions.do_set_follow_up_published(follow_up, True, acting_user=ctx.user),
        expect={"published": [False, True]},
        unchanged=lambda: actions.do_set_follow_up_published(follow_up, True, acting_user=ctx.user),
    )


def set_comment_published(ctx):
    _, follow_up, _, _, activity = _tree(ctx)
    status = follow_up.statuses.get(activity=activity)
    return AuditCase(
        change=lambda: actions.do_set_comment_published(status, True, acting_user=ctx.user),
        expect={"comment_published": [False, True]},
        unchanged=lambda: actions.do_set_comment_published(status, True, acting_user=ctx.user),
    )


CASES = {
    "plans.do_set_plan_published": set_plan_published,
    "plans.do_set_follow_up_published": set_follow_up_published,
    "plans.do_set_comment_published": set_comment_published,
    "plans.do_create_unit": create_unit,
    "plans.do_create_program": create_program,
    "plans.do_update_program": update_program,
    "plans.do_create_plan": create_plan,
    "plans.do_update_plan": update_plan,
    "plans.do_create_area": create_area,
    "plans.do_update_area": update_area,
    "plans.do_create_intervention": create_intervention,
    "plans.do_update_intervention": update_intervention,
    "plans.do_create_activity": create_activity,
    "plans.do_update_activity": update_activity,
    "plans.do_create_follow_up": create_follow_up,
    "plans.do_update_follow_up": update_follow_up,
    "plans.do_set_activity_status": set_activity_status,
}
EXEMPT: dict[str, str] = {}
