"""Audit cases of the lägesbild's do_* actions (trygg/tests/test_audit.py): each change leaves exactly one
audit row with the true old and new values; the same call with nothing new leaves none."""

from __future__ import annotations

import datetime as dt

from trygg.accounts.models import Organisation
from trygg.situation import actions
from trygg.situation.models import Action, CameraSite, Category, FocusArea, Incident, Meeting
from trygg.tests.cases import AuditCase

from .tenancy_cases import _place

WHEN = dt.datetime(2024, 5, 3, 19, 0, tzinfo=dt.UTC)


def _category(slug="ovrigt") -> Category:
    return Category.objects.get_or_create(slug=slug, defaults={"name": slug.capitalize()})[0]


def _incident(ctx) -> Incident:
    incident, _ = actions.do_save_incident(
        Incident(municipality=ctx.municipality, category=_category(), occurred_from=WHEN),
        place=_place(ctx.municipality),
        lat=None,
        lon=None,
        description="Första.",
        acting_user=ctx.user,
    )
    return incident


def save_incident(ctx) -> AuditCase:
    incident = _incident(ctx)
    place = incident.place

    def call(text):
        fresh = Incident.objects.get(pk=incident.pk)
        return actions.do_save_incident(
            fresh, place=place, lat=None, lon=None, description=text, acting_user=ctx.user
        )

    return AuditCase(
        change=lambda: call("Andra."),
        expect={"description": ["Första.", "Andra."]},
        unchanged=lambda: call("Andra."),
    )


def bulk_create_incidents(ctx) -> AuditCase:
    place = _place(ctx.municipality)
    location = actions.location_values(
        actions.LocationContext.of(ctx.municipality), place=place, lat=None, lon=None
    )
    rows = [
        {"category": _category(), "occurred_from": WHEN, "origin": "demo", "description": "x", **location}
        for _ in range(3)
    ]
    return AuditCase(
        change=lambda: actions.do_bulk_create_incidents(
            ctx.municipality, rows, acting_user=ctx.user, source="test"
        ),
        expect={"incidents": [None, 3], "source": [None, "test"]},
        unchanged=lambda: actions.do_bulk_create_incidents(
            ctx.municipality, [], acting_user=ctx.user, source="test"
        ),
    )


def bulk_delete_incidents(ctx) -> AuditCase:
    bulk_create_incidents(ctx).change()

    def call():
        return actions.do_bulk_delete_incidents(ctx.municipality, origin="demo", acting_user=ctx.user)

    return AuditCase(change=call, expect={"incidents": [3, 0]}, unchanged=call)


def save_meeting(ctx) -> AuditCase:
    meeting, _ = actions.do_save_meeting(
        Meeting(municipality=ctx.municipality, date=dt.date(2024, 5, 7), notes="Före."),
        organisations=[],
        units=[],
        acting_user=ctx.user,
    )
    police = Organisation.objects.get_or_create(name="Polisen", kind=Organisation.Kind.POLICE)[0]

    def call():
        fresh = Meeting.objects.get(pk=meeting.pk)
        fresh.notes, fresh.date = "Efter.", dt.date(2024, 5, 8)
        return actions.do_save_meeting(fresh, organisations=[police], units=[], acting_user=ctx.user)

    return AuditCase(
        change=call,
        expect={
            "notes": ["Före.", "Efter."],
            "date": ["2024-05-07", "2024-05-08"],
            "organisations": [[], [police.pk]],
        },
        unchanged=call,
    )


def save_focus_area(ctx) -> AuditCase:
    area, _ = actions.do_save_focus_area(
        FocusArea(
            municipality=ctx.municipality,
            place=_place(ctx.municipality),
            problem="Häng",
            start=dt.date(2024, 5, 7),
            weeks=4,
        ),
        acting_user=ctx.user,
    )

    def call():
        fresh = FocusArea.objects.get(pk=area.pk)
        fresh.problem, fresh.weeks = "Häng och klotter", 6
        return actions.do_save_focus_area(fresh, acting_user=ctx.user)

    return AuditCase(
        change=call,
        expect={
            "problem": ["Häng", "Häng och klotter"],
            "weeks": [4, 6],
            "end": ["2024-06-04", "2024-06-18"],
        },
        unchanged=call,
    )


def _action(ctx) -> Action:
    return actions.do_save_action(
        Action(municipality=ctx.municipality, kind="guards", title="Väktare"), acting_user=ctx.user
    )[0]


def save_action(ctx) -> AuditCase:
    action = _action(ctx)

    def call():
        fresh = Action.objects.get(pk=action.pk)
        fresh.title, fresh.due_date = "Väktare kvällstid", dt.date(2024, 6, 1)
        return actions.do_save_action(fresh, acting_user=ctx.user)

    return AuditCase(
        change=call,
        expect={"title": ["Väktare", "Väktare kvällstid"], "due_date": [None, "2024-06-01"]},
        unchanged=call,
    )


def set_action_status(ctx) -> AuditCase:
    action = _action(ctx)

    def call():
        return actions.do_set_action_status(Action.objects.get(pk=action.pk), "done", acting_user=ctx.user)

    return AuditCase(change=call, expect={"status": ["planned", "done"]}, unchanged=call)


def save_camera(ctx) -> AuditCase:
    place = _place(ctx.municipality)
    camera, _ = actions.do_save_camera(
        CameraSite(
            municipality=ctx.municipality,
            name="Kamera",
            place=place,
            lat=place.lat,
            lon=place.lon,
            purpose="Trygghet",
            permit_status="applied",
        ),
        acting_user=ctx.user,
    )

    def call():
        fresh = CameraSite.objects.get(pk=camera.pk)
        fresh.permit_status, fresh.imy_reference = "granted", "DI-2024-1"
        return actions.do_save_camera(fresh, acting_user=ctx.user)

    return AuditCase(
        change=call,
        expect={"permit_status": ["applied", "granted"], "imy_reference": ["", "DI-2024-1"]},
        unchanged=call,
    )


def save_category(ctx) -> AuditCase:
    category, _ = actions.do_save_category(
        Category(name="Buskörning", slug="buskorning", description="Före"), acting_user=ctx.user
    )

    def call():
        fresh = Category.objects.get(pk=category.pk)
        fresh.description, fresh.active = "Efter", False
        return actions.do_save_category(fresh, acting_user=ctx.user)

    return AuditCase(
        change=call, expect={"description": ["Före", "Efter"], "active": [True, False]}, unchanged=call
    )


def store_meeting_figures(ctx) -> AuditCase:
    meeting, _ = actions.do_save_meeting(
        Meeting(municipality=ctx.municipality, date=dt.date(2024, 5, 7)),
        organisations=[],
        units=[],
        acting_user=ctx.user,
    )
    figures = {"period": ["2024-04-23", "2024-05-07"], "final": True, "total": 3}

    def call():
        return actions.do_store_meeting_figures(
            Meeting.objects.get(pk=meeting.pk), figures, acting_user=ctx.user
        )

    return AuditCase(change=call, expect={"figures": [None, figures]}, unchanged=call)


CASES = {
    "situation.do_save_incident": save_incident,
    "situation.do_bulk_create_incidents": bulk_create_incidents,
    "situation.do_bulk_delete_incidents": bulk_delete_incidents,
    "situation.do_save_meeting": save_meeting,
    "situation.do_store_meeting_figures": store_meeting_figures,
    "situation.do_save_focus_area": save_focus_area,
    "situation.do_save_action": save_action,
    "situation.do_set_action_status": set_action_status,
    "situation.do_save_camera": save_camera,
    "situation.do_save_category": save_category,
}
