"""Audit cases of the law's cycle (trygg/tests/test_audit.py): each change leaves exactly one audit row of its
own object with the true old and new values; the same call with nothing new leaves none. Adoption and a
measure's save also write plan rows, which the plans app audits separately, so those cases count this app's
own rows."""

from __future__ import annotations

import datetime as dt

from trygg.accounts.models import AuditEvent
from trygg.assessments import actions
from trygg.assessments.models import ActionPlan, Assessment, Measure, Source
from trygg.plans import actions as plan_actions
from trygg.tests.cases import AuditCase

from .builders import make_chain


def _rows(label: str):
    return lambda: AuditEvent.objects.filter(object_type=label)


def save(ctx) -> AuditCase:
    a = actions.do_save(
        Assessment(
            municipality=ctx.municipality,
            title="Första",
            period_start=dt.date(2023, 1, 1),
            period_end=dt.date(2023, 12, 31),
        ),
        acting_user=ctx.user,
    ).obj

    def call(title):
        fresh = Assessment.objects.get(pk=a.pk)
        fresh.title = title
        return actions.do_save(fresh, acting_user=ctx.user)

    return AuditCase(
        change=lambda: call("Andra"), expect={"title": ["Första", "Andra"]}, unchanged=lambda: call("Andra")
    )


def save_measure(ctx) -> AuditCase:
    chain = make_chain(ctx.municipality, ctx.user)

    def call(title):
        fresh = Measure.objects.get(pk=chain["measure"].pk)
        fresh.title = title
        return actions.do_save_measure(fresh, acting_user=ctx.user)

    return AuditCase(
        change=lambda: call("Ny rubrik"),
        expect={"title": ["Riktad väktartillsyn vid ställplatserna", "Ny rubrik"]},
        unchanged=lambda: call("Ny rubrik"),
        rows=_rows("assessments.measure"),
    )


def delete(ctx) -> AuditCase:
    chain = make_chain(ctx.municipality, ctx.user)
    source = actions.do_save(Source(assessment=chain["assessment"], name="NTU"), acting_user=ctx.user).obj
    return AuditCase(
        change=lambda: actions.do_delete(Source.objects.get(pk=source.pk), acting_user=ctx.user),
        expect={"name": ["NTU", None]},
    )


def adopt(ctx) -> AuditCase:
    chain = make_chain(ctx.municipality, ctx.user)
    return AuditCase(
        change=lambda: actions.do_adopt_action_plan(
            ActionPlan.objects.get(pk=chain["action_plan"].pk),
            decided_by="Kommunfullmäktige",
            decided_on=dt.date(2024, 6, 17),
            diary_number="KS2024/1",
            acting_user=ctx.user,
        ),
        expect={"decided_by": ["", "Kommunfullmäktige"], "decided_on": [None, "2024-06-17"]},
        rows=_rows("assessments.actionplan"),
    )


def link(ctx) -> AuditCase:
    chain = make_chain(ctx.municipality, ctx.user)
    plan = plan_actions.do_create_plan(
        {
            "municipality": ctx.municipality,
            "slug": "p",
            "name": "P",
            "period_start": 2024,
            "period_end": 2025,
        },
        acting_user=ctx.user,
    ).obj
    area = plan_actions.do_create_area({"plan": plan, "number": 1, "title": "A"}, acting_user=ctx.user).obj
    intervention = plan_actions.do_create_intervention(
        {"area": area, "number": 1, "title": "I"}, acting_user=ctx.user
    ).obj
    activity = plan_actions.do_create_activity(
        {"intervention": intervention, "title": "Akt"}, acting_user=ctx.user
    ).obj

    def call():
        return actions.do_link_activity(
            Measure.objects.get(pk=chain["measure"].pk), activity, acting_user=ctx.user
        )

    return AuditCase(
        change=call,
        expect={"activity": [None, activity.pk]},
        unchanged=call,
        rows=_rows("assessments.measure"),
    )


CASES = {
    "assessments.do_save": save,
    "assessments.do_save_measure": save_measure,
    "assessments.do_delete": delete,
    "assessments.do_adopt_action_plan": adopt,
    "assessments.do_link_activity": link,
}
