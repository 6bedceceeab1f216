"""Audit cases of the places app's do_* actions (trygg/tests/test_audit.py)."""

from __future__ import annotations

from trygg.places import actions
from trygg.places.models import Municipality, Place
from trygg.tests.cases import AuditCase


def save_place(ctx) -> AuditCase:
    from trygg.situation.tests.tenancy_cases import _place

    place = _place(ctx.municipality)

    def call():
        fresh = Place.objects.get(pk=place.pk)
        fresh.description, fresh.aliases = "Torg i centrum.", "Torget"
        return actions.do_save_place(fresh, acting_user=ctx.user)

    return AuditCase(
        change=call,
        expect={"description": ["", "Torg i centrum."], "aliases": ["", "Torget"]},
        unchanged=call,
    )


def save_district(ctx) -> AuditCase:
    actions.do_save_district(
        ctx.municipality, "Centrum", geometry=None, approximate=True, acting_user=ctx.user
    )

    def call():
        return actions.do_save_district(
            ctx.municipality, "Centrum", geometry=None, approximate=False, acting_user=ctx.user
        )

    return AuditCase(change=call, expect={"approximate": [True, False]}, unchanged=call)


def load_municipality(ctx) -> AuditCase:
    Municipality.objects.filter(pk=ctx.municipality.pk).update(county_name="Okänt län")

    def call():
        return actions.do_load_municipality(ctx.municipality.code, acting_user=ctx.user)

    return AuditCase(
        change=call, expect={"county_name": ["Okänt län", "Västra Götalands län"]}, unchanged=call
    )


CASES = {
    "places.do_save_place": save_place,
    "places.do_save_district": save_district,
    "places.do_load_municipality": load_municipality,
}
