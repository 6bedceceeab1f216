"""Audit cases of the retention actions (trygg/tests/test_audit.py): each batch leaves ONE audit row on its
municipality with the step, the count and the ids; the same call again (nothing left to change) leaves none."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from trygg.indicators.models import ImportJob
from trygg.operations import actions
from trygg.situation.tests.audit_cases import _incident
from trygg.tests.cases import AuditCase


def _expect(step: str, ids: list[int]) -> dict:
    return {"retention": [None, step], "objects": [None, len(ids)], "ids": [None, ids]}


def _incident_case(ctx, fn, step: str) -> AuditCase:
    incident = _incident(ctx)
    ids = [incident.pk]
    return AuditCase(
        change=lambda: fn(ctx.municipality, ids, acting_user=ctx.user),
        expect=_expect(step, ids),
        unchanged=lambda: fn(ctx.municipality, ids, acting_user=ctx.user),
    )


def drop_incident_texts(ctx) -> AuditCase:
    return _incident_case(ctx, actions.do_drop_incident_texts, "incident_text")


def anonymise_incidents(ctx) -> AuditCase:
    return _incident_case(ctx, actions.do_anonymise_incidents, "incident_anonymise")


def delete_incidents(ctx) -> AuditCase:
    return _incident_case(ctx, actions.do_delete_incidents, "incident_delete")


def anonymise_submissions(ctx) -> AuditCase:
    from trygg.dialog.tests.audit_cases import _submission

    ids = [_submission(ctx).pk]
    fn = actions.do_anonymise_submissions
    return AuditCase(
        change=lambda: fn(ctx.municipality, ids, acting_user=ctx.user),
        expect=_expect("submission_anonymise", ids),
        unchanged=lambda: fn(ctx.municipality, ids, acting_user=ctx.user),
    )


def delete_import_files(ctx) -> AuditCase:
    job = ImportJob(
        municipality=ctx.municipality,
        kind="bra",
        status="done",
        finished_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    job.file.save("import.csv", ContentFile(b"x"), save=False)
    job.save()
    ids = [job.pk]
    fn = actions.do_delete_import_files
    return AuditCase(
        change=lambda: fn(ctx.municipality, ids, acting_user=ctx.user),
        expect=_expect("import_file_delete", ids),
        unchanged=lambda: fn(ctx.municipality, ids, acting_user=ctx.user),
    )


CASES = {
    "operations.do_drop_incident_texts": drop_incident_texts,
    "operations.do_anonymise_incidents": anonymise_incidents,
    "operations.do_delete_incidents": delete_incidents,
    "operations.do_anonymise_submissions": anonymise_submissions,
    "operations.do_delete_import_files": delete_import_files,
}
