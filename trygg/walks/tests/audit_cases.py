"""Audit cases of the walks' do_* actions (trygg/tests/test_audit.py): each change leaves exactly one audit
row of its own object with the true old and new values; the same call with nothing new leaves none. A
finding's save also updates its incident in the lägesbild, which the situation app audits separately, so
the finding cases count the finding's own rows."""

from __future__ import annotations

import datetime as dt

from trygg.accounts.models import AuditEvent, Unit
from trygg.situation.models import Category
from trygg.situation.taxonomy import seed_categories
from trygg.situation.tests.tenancy_cases import _place
from trygg.tests.cases import AuditCase
from trygg.walks import actions
from trygg.walks.models import Finding, Measure, Photo, Stop, Walk

from .conftest import jpeg_with_gps


def _rows(model_label: str):
    return lambda: AuditEvent.objects.filter(object_type=model_label)


def _walk(ctx, **fields) -> Walk:
    walk, _ = actions.do_save_walk(
        Walk(municipality=ctx.municipality, title="Första", date=dt.date(2024, 4, 10), **fields),
        acting_user=ctx.user,
    )
    return walk


def _finding(ctx) -> Finding:
    seed_categories(Category)
    finding, _ = actions.do_save_finding(
        Finding(
            walk=_walk(ctx), category=Finding.Category.LIGHTING, place=_place(ctx.municipality), feeling=2
        ),
        acting_user=ctx.user,
    )
    return finding


def save_walk(ctx) -> AuditCase:
    walk = _walk(ctx)

    def call(title):
        fresh = Walk.objects.get(pk=walk.pk)
        fresh.title = title
        return actions.do_save_walk(fresh, acting_user=ctx.user)

    return AuditCase(
        change=lambda: call("Andra"),
        expect={"title": ["Första", "Andra"]},
        unchanged=lambda: call("Andra"),
        rows=_rows("walks.walk"),
    )


def add_stop(ctx) -> AuditCase:
    walk = _walk(ctx)
    place = _place(ctx.municipality)
    return AuditCase(
        change=lambda: actions.do_add_stop(walk, place=place, note="Start", acting_user=ctx.user),
        expect={"note": [None, "Start"], "order": [None, 1], "lat": [None, place.lat]},
    )


def delete_stop(ctx) -> AuditCase:
    walk = _walk(ctx)
    stop = actions.do_add_stop(walk, place=_place(ctx.municipality), note="Start", acting_user=ctx.user)
    return AuditCase(
        change=lambda: actions.do_delete_stop(Stop.objects.get(pk=stop.pk), acting_user=ctx.user),
        expect={"note": ["Start", None]},
    )


def save_finding(ctx) -> AuditCase:
    finding = _finding(ctx)

    def call(feeling):
        fresh = Finding.objects.get(pk=finding.pk)
        fresh.feeling = feeling
        return actions.do_save_finding(fresh, acting_user=ctx.user)

    return AuditCase(
        change=lambda: call(4),
        expect={"feeling": [2, 4]},
        unchanged=lambda: call(4),
        rows=_rows("walks.finding"),
    )


def add_photo(ctx) -> AuditCase:
    finding = _finding(ctx)
    return AuditCase(
        change=lambda: actions.do_add_photo(finding, jpeg_with_gps(), acting_user=ctx.user),
        expect={"width": [None, 64], "height": [None, 48], "content_type": [None, "image/jpeg"]},
    )


def delete_photo(ctx) -> AuditCase:
    finding = _finding(ctx)
    photo = actions.do_add_photo(finding, jpeg_with_gps(), acting_user=ctx.user)
    return AuditCase(
        change=lambda: actions.do_delete_photo(Photo.objects.get(pk=photo.pk), acting_user=ctx.user),
        expect={"width": [64, None], "sha256": [photo.sha256, None]},
    )


def save_measure(ctx) -> AuditCase:
    unit = Unit.objects.get_or_create(municipality=ctx.municipality, name="Trafik Gata Park")[0]
    measure, _ = actions.do_save_measure(
        Measure(finding=_finding(ctx), title="Byt lampor", responsible_unit=unit), acting_user=ctx.user
    )

    def call(status):
        fresh = Measure.objects.get(pk=measure.pk)
        fresh.status = status
        return actions.do_save_measure(fresh, acting_user=ctx.user)

    return AuditCase(
        change=lambda: call(Measure.Status.DONE),
        expect={"status": ["planned", "done"]},
        unchanged=lambda: call(Measure.Status.DONE),
    )


def delete_finding(ctx) -> AuditCase:
    finding = _finding(ctx)
    return AuditCase(
        change=lambda: actions.do_delete_finding(Finding.objects.get(pk=finding.pk), acting_user=ctx.user),
        expect={"category": ["lighting", None], "feeling": [2, None]},
        rows=_rows("walks.finding"),
    )


CASES = {
    "walks.do_save_walk": save_walk,
    "walks.do_add_stop": add_stop,
    "walks.do_delete_stop": delete_stop,
    "walks.do_save_finding": save_finding,
    "walks.do_add_photo": add_photo,
    "walks.do_delete_photo": delete_photo,
    "walks.do_save_measure": save_measure,
    "walks.do_delete_finding": delete_finding,
}
