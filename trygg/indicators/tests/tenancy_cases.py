"""Tenant-isolation cases for the statistics URLs that take an id (see trygg/tests/cases.py)."""

from __future__ import annotations


def _import_job(municipality) -> dict:
    from trygg.indicators.models import ImportJob

    job = ImportJob.objects.create(
        municipality=municipality, kind="local", file="import.csv", original_name="lokala.csv"
    )
    return {"pk": job.pk}


CASES = {"indicators:import_job": _import_job}
EXEMPT: dict[str, str] = {}
