"""Tenant-isolation cases of the dialog's staff pages (trygg/tests/test_tenant_isolation.py). The public
pages under /tycktill/ are exempt: they are meant for everyone and show only what is published."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from trygg.dialog.models import DEFAULT_CATEGORIES, Campaign, Submission


def campaign(m) -> dict:
    row = Campaign.objects.create(
        municipality=m,
        title=f"Kampanj {m.code}",
        question="Var?",
        starts=dt.date(2024, 1, 1),
        ends=dt.date(2099, 1, 1),
        categories=list(DEFAULT_CATEGORIES),
    )
    return {"pk": row.pk}


def _submission(m, **extra) -> Submission:
    owner = Campaign.objects.get(pk=campaign(m)["pk"])
    return Submission.objects.create(
        campaign=owner,
        receipt=f"T{m.code}-{Submission.objects.count():04d}"[:12],
        submitted_on=dt.date(2024, 5, 1),
        location_kind="described",
        location_text="Vid torget",
        categories=["belysning"],
        time_of_day="kvall",
        day_type="vardag",
        **extra,
    )


def submission(m) -> dict:
    return {"pk": _submission(m).pk}


def submission_with_photo(m) -> dict:
    from .conftest import jpeg_with_gps

    row = _submission(m)
    row.photo.save("tenancy.jpg", ContentFile(jpeg_with_gps()), save=True)
    return {"pk": row.pk}


CASES = {
    "dialog:campaign_detail": campaign,
    "dialog:campaign_edit": campaign,
    "dialog:submission_list": campaign,
    "dialog:moderation_queue": campaign,
    "dialog:campaign_analysis": campaign,
    "dialog:export_csv": campaign,
    "dialog:export_geojson": campaign,
    "dialog:submission_detail": submission,
    "dialog:submission_moderate": submission,
    "dialog:submission_redact": submission,
    "dialog:submission_focus_area": submission,
    "dialog:submission_action": submission,
    "dialog:submission_walk_stop": submission,
    "dialog:submission_photo": submission_with_photo,
}
EXEMPT = {
    "dialog_public:submit": "public page",
    "dialog_public:receipt": "public page",
    "dialog_public:results": "public page",
}
