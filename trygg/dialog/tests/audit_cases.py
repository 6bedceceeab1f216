"""Audit cases of the dialog's do_* actions (trygg/tests/test_audit.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trygg.accounts.models import AuditEvent
from trygg.dialog import actions
from trygg.dialog.models import Campaign, Submission
from trygg.tests.cases import AuditCase


def _campaign(ctx, **extra) -> Campaign:
    today = timezone.localdate()
    values = {
        "title": "Före",
        "question": "Var känner du dig otrygg?",
        "starts": today - dt.timedelta(days=1),
        "ends": today + dt.timedelta(days=10),
        "categories": ["belysning", "vaxtlighet"],
        **extra,
    }
    return actions.do_save_campaign(Campaign(municipality=ctx.municipality, **values), acting_user=ctx.user)[
        0
    ]


def _submission(ctx) -> Submission:
    from trygg.tests.cases import Ctx  # noqa: F401 - documents the ctx type

    data = actions.SubmissionInput(
        categories=["belysning"],
        time_of_day="kvall",
        day_type="helg",
        location_text="Vid torget",
        text="Mörkt här.",
    )
    return actions.do_submit(_campaign(ctx), data)[0]


def save_campaign(ctx) -> AuditCase:
    campaign = _campaign(ctx)

    def call():
        fresh = Campaign.objects.get(pk=campaign.pk)
        fresh.title, fresh.publish_comments = "Efter", True
        return actions.do_save_campaign(fresh, acting_user=ctx.user)

    return AuditCase(
        change=call, expect={"title": ["Före", "Efter"], "publish_comments": [False, True]}, unchanged=call
    )


def submit(ctx) -> AuditCase:
    campaign = _campaign(ctx)
    data = actions.SubmissionInput(
        categories=["vaxtlighet"],
        time_of_day="natt",
        day_type="vardag",
        location_text="Parken",
        text="Buskigt.",
    )
    return AuditCase(
        change=lambda: actions.do_submit(campaign, data),
        expect={
            "text": [None, "Buskigt."],
            "time_of_day": [None, "natt"],
            "categories": [None, ["vaxtlighet"]],
        },
    )


def moderate(ctx) -> AuditCase:
    submission = _submission(ctx)

    def call():
        return actions.do_moderate(Submission.objects.get(pk=submission.pk), "approved", acting_user=ctx.user)

    return AuditCase(change=call, expect={"status": ["pending", "approved"]}, unchanged=call)


def redact_text(ctx) -> AuditCase:
    submission = _submission(ctx)

    def call():
        return actions.do_redact_text(
            Submission.objects.get(pk=submission.pk), "Mörkt.", acting_user=ctx.user
        )

    # The removed words are kept nowhere: the old value is the old text's length.
    return AuditCase(
        change=call,
        expect={
            "text": ["[10 tecken, borttagna vid moderering]", "Mörkt."],
            "text_redacted_by_moderator": [False, True],
        },
        unchanged=call,
    )


def make_focus_area(ctx) -> AuditCase:
    from trygg.places.models import Place
    from trygg.situation.tests.tenancy_cases import _place

    place: Place = _place(ctx.municipality)
    campaign = _campaign(ctx)
    data = actions.SubmissionInput(
        categories=["belysning"], time_of_day="kvall", day_type="helg", place=place
    )
    submission = actions.do_submit(campaign, data)[0]
    return AuditCase(
        change=lambda: actions.do_make_focus_area(
            submission, start=dt.date(2024, 5, 1), weeks=4, acting_user=ctx.user
        ),
        expect={"weeks": [None, 4], "place": [None, place.pk]},
        rows=lambda: AuditEvent.objects.filter(object_type="situation.focusarea"),
    )


def make_action(ctx) -> AuditCase:
    submission = _submission(ctx)
    return AuditCase(
        change=lambda: actions.do_make_action(submission, title="Byt lampor", acting_user=ctx.user),
        expect={"title": [None, "Byt lampor"], "kind": [None, "lighting"]},
        rows=lambda: AuditEvent.objects.filter(object_type="situation.action"),
    )


def make_walk_stop(ctx) -> AuditCase:
    from trygg.situation.tests.tenancy_cases import _place
    from trygg.walks.models import Walk

    place = _place(ctx.municipality)
    walk = Walk.objects.create(
        municipality=ctx.municipality, title="Kvällsvandring", date=dt.date(2024, 10, 1)
    )
    data = actions.SubmissionInput(
        categories=["belysning"], time_of_day="kvall", day_type="helg", place=place
    )
    submission = actions.do_submit(_campaign(ctx), data)[0]
    return AuditCase(
        change=lambda: actions.do_make_walk_stop(submission, walk, acting_user=ctx.user),
        expect={"place": [None, place.pk], "order": [None, 1]},
        rows=lambda: AuditEvent.objects.filter(object_type="walks.stop"),
    )


CASES = {
    "dialog.do_make_walk_stop": make_walk_stop,
    "dialog.do_save_campaign": save_campaign,
    "dialog.do_submit": submit,
    "dialog.do_moderate": moderate,
    "dialog.do_redact_text": redact_text,
    "dialog.do_make_focus_area": make_focus_area,
    "dialog.do_make_action": make_action,
}
