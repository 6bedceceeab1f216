"""Audit cases for the statistics actions (see trygg/tests/cases.py). Local figures and local indicators
leave one audit row each with true old and new values; a file import leaves one row with its counts."""

from __future__ import annotations

import tempfile

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from trygg.tests.cases import AuditCase, Ctx

BRA = "brott;år;region;antal\nVåldsbrott;2022;Kungälv;462\nVåldsbrott;2023;Kungälv;470\n".encode()
LOCAL = "indikator;titel;region;år;värde\nLOKAL.samtal;Samtal;1482;2023;12\n".encode()
MEDIA = tempfile.mkdtemp(prefix="trygg-audit-media-")  # uploads of these cases never land in var/


def _regions():
    from trygg.indicators import actions

    actions.do_seed_regions()


def _local_indicator(ctx: Ctx):
    from trygg.indicators.models import Indicator

    return Indicator.objects.create(
        municipality=ctx.municipality, code="LOKAL.samtal", title="Samtal", is_local=True
    )


def import_observations(ctx: Ctx) -> AuditCase:
    from trygg.indicators import actions, importers

    _regions()

    def run():
        parsed = importers.parse("local", LOCAL)
        return actions.do_import_observations(parsed, municipality=ctx.municipality, acting_user=ctx.user)

    return AuditCase(
        change=run,
        unchanged=run,
        expect={
            "observations_created": [None, 1],
            "indicators_created": [None, 1],
            "municipality": [None, "1482"],
        },
    )


def import_file(ctx: Ctx) -> AuditCase:
    from trygg.indicators import actions

    _regions()

    def run():
        return actions.do_import_file("bra", BRA, acting_user=ctx.user)

    return AuditCase(change=run, unchanged=run, expect={"observations_created": [None, 2]})


def seed_kolada_catalogue(ctx: Ctx) -> AuditCase:
    from trygg.indicators import actions, importers

    shipped = len(
        importers.parse_catalogue((actions.DATA_DIR / "kolada_safety_kpis.csv").read_bytes()).indicators
    )

    def run():
        return actions.do_seed_kolada_catalogue(acting_user=ctx.user)

    return AuditCase(change=run, unchanged=run, expect={"indicators_created": [None, shipped]})


def save_local_observation(ctx: Ctx) -> AuditCase:
    from trygg.indicators import actions
    from trygg.indicators.models import Observation, Region

    _regions()
    indicator = _local_indicator(ctx)
    region = Region.objects.get(code=ctx.municipality.code)
    Observation.objects.create(
        indicator=indicator,
        region=region,
        period="2023",
        period_start=2023,
        period_end=2023,
        value=3,
        imported_at=timezone.now(),
    )

    def run():
        return actions.do_save_local_observation(indicator, region, "2023", "4,5", acting_user=ctx.user)

    return AuditCase(change=run, unchanged=run, expect={"value": [3.0, 4.5]})


def create_local_indicator(ctx: Ctx) -> AuditCase:
    from trygg.indicators import actions

    def run():
        return actions.do_create_local_indicator(
            ctx.municipality, "LOKAL.vandringar", "Trygghetsvandringar", "antal", acting_user=ctx.user
        )

    return AuditCase(
        change=run,
        expect={
            "code": [None, "LOKAL.vandringar"],
            "title": [None, "Trygghetsvandringar"],
            "municipality": [None, ctx.municipality.pk],
        },
    )


def create_import_job(ctx: Ctx) -> AuditCase:
    from trygg.indicators import actions

    @override_settings(MEDIA_ROOT=MEDIA)
    def run():
        upload = SimpleUploadedFile("lokala.csv", LOCAL)
        return actions.do_create_import_job(
            "local", upload, municipality=ctx.municipality, acting_user=ctx.user
        )

    return AuditCase(
        change=run,
        expect={
            "kind": [None, "local"],
            "original_name": [None, "lokala.csv"],
            "municipality": [None, ctx.municipality.pk],
        },
    )


def run_import_job(ctx: Ctx) -> AuditCase:
    from trygg.indicators import actions
    from trygg.indicators.models import ImportJob

    _regions()

    @override_settings(MEDIA_ROOT=MEDIA)
    def job() -> ImportJob:
        queued = ImportJob(municipality=ctx.municipality, kind="local", created_by=ctx.user)
        queued.file.save("import.csv", ContentFile(LOCAL))
        return queued

    first, second = job(), job()

    @override_settings(MEDIA_ROOT=MEDIA)
    def run(queued):
        result = actions.do_run_import_job(queued)
        assert result.status == ImportJob.Status.DONE, result.message
        return result

    return AuditCase(
        change=lambda: run(first),
        unchanged=lambda: run(second),  # the same file again: nothing new, nothing audited
        expect={"observations_created": [None, 1], "municipality": [None, "1482"]},
    )


CASES = {
    "indicators.do_import_observations": import_observations,
    "indicators.do_import_file": import_file,
    "indicators.do_seed_kolada_catalogue": seed_kolada_catalogue,
    "indicators.do_save_local_observation": save_local_observation,
    "indicators.do_create_local_indicator": create_local_indicator,
    "indicators.do_create_import_job": create_import_job,
    "indicators.do_run_import_job": run_import_job,
}
EXEMPT = {
    "indicators.do_seed_regions": "writes the bundled list of regions (reference data, no user content)",
    "indicators.do_update_region_groups": "derives population groups from imported figures; the import that "
    "brought them is audited",
}
