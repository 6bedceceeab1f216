"""Retention with fixed dates: on 2026-03-15, with text kept 12 months and incidents anonymised after 24, an
incident of 2024-03-01 is anonymised, one of 2025-01-10 loses only its text, one of 2025-06-01 is untouched;
uploaded import files are deleted once their import has finished; the audit trail forgets the text too."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from h3.api import basic_int as h3_int

from trygg.accounts.models import AuditEvent, Role
from trygg.conftest import make_user
from trygg.indicators.models import ImportJob
from trygg.operations import actions, retention
from trygg.operations.privacy import entries
from trygg.situation import actions as situation_actions
from trygg.situation.models import Category, Incident
from trygg.situation.tests.tenancy_cases import _place

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 15, 3, 0, tzinfo=dt.UTC)
POLICY = {
    "incident_text_months": 12,
    "incident_anonymise_months": 24,
    "incident_delete_months": 0,
    "submission_months": 24,
    "import_file_days": 0,
}


def _incident(municipality, user, when: dt.datetime, text: str, *, point=True) -> Incident:
    place = _place(municipality)
    category = Category.objects.get_or_create(slug="skadegorelse", defaults={"name": "Skadegörelse"})[0]
    lat, lon = (place.lat + 0.0011, place.lon + 0.0017) if point else (None, None)
    with time_machine.travel(when, tick=False):
        incident, _ = situation_actions.do_save_incident(
            Incident(municipality=municipality, category=category, occurred_from=when),
            place=place,
            lat=lat,
            lon=lon,
            description=text,
            acting_user=user,
        )
    incident.reported_by = user
    incident.save(update_fields=["reported_by"])
    return incident


@pytest.fixture
def coordinator(municipality):
    return make_user("gallring-samordnare", Role.COORDINATOR, municipality=municipality)


@pytest.fixture
def three_incidents(municipality, coordinator):
    return {
        "old": _incident(
            municipality, coordinator, dt.datetime(2024, 3, 1, 22, tzinfo=dt.UTC), "Krossad ruta."
        ),
        "middle": _incident(
            municipality, coordinator, dt.datetime(2025, 1, 10, tzinfo=dt.UTC), "Klotter i tunneln."
        ),
        "recent": _incident(
            municipality, coordinator, dt.datetime(2025, 6, 1, tzinfo=dt.UTC), "Bränd soptunna."
        ),
    }


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert retention.months_before(NOW, 24) == dt.datetime(2024, 3, 15, 3, 0, tzinfo=dt.UTC)
    assert retention.months_before(dt.datetime(2026, 3, 31, tzinfo=dt.UTC), 1) == dt.datetime(
        2026, 2, 28, tzinfo=dt.UTC
    )
    assert retention.months_before(dt.datetime(2026, 1, 5, tzinfo=dt.UTC), 13) == dt.datetime(
        2024, 12, 5, tzinfo=dt.UTC
    )


@override_settings(TRYGG_RETENTION=POLICY)
def test_retention_on_fixed_dates(three_incidents, coordinator):
    old, middle, recent = three_incidents["old"], three_incidents["middle"], three_incidents["recent"]
    exact = (old.lat, old.lon)
    with time_machine.travel(NOW, tick=False):
        dry = StringIO()
        call_command("apply_retention", "--dry-run", stdout=dry)
        assert "Torrkörning: inget ändrades." in dry.getvalue()
        assert "händelser: fritexten tas bort – 2 skulle ändras" in dry.getvalue()
        assert "avidentifieras" in dry.getvalue() and "– 1 skulle ändras" in dry.getvalue()
        assert Incident.objects.get(pk=old.pk).description == "Krossad ruta."  # the dry run wrote nothing

        out = StringIO()
        call_command("apply_retention", stdout=out)

    old, middle, recent = (Incident.objects.get(pk=i.pk) for i in (old, middle, recent))
    # 24 months: anonymised. The point is the centre of its r8 cell, and the same cell as before.
    assert old.description == "" and old.reported_by_id is None
    cell = h3_int.latlng_to_cell(*exact, 8)
    assert (old.lat, old.lon) == pytest.approx(h3_int.cell_to_latlng(cell), abs=1e-6)
    assert (old.lat, old.lon) != exact
    assert old.h3_r8 == cell and old.h3_r9 == h3_int.latlng_to_cell(old.lat, old.lon, 9)
    # 12 months: only the text is gone.
    assert middle.description == "" and middle.reported_by_id == coordinator.pk
    assert middle.lat is not None and (middle.lat, middle.lon) == (
        three_incidents["middle"].lat,
        three_incidents["middle"].lon,
    )
    # Younger than 12 months: untouched.
    assert recent.description == "Bränd soptunna." and recent.reported_by_id == coordinator.pk

    # One audit row per step and municipality, naming the ids; none of them holds the text.
    rows = AuditEvent.objects.filter(action__startswith="retention.")
    assert sorted(rows.values_list("action", flat=True)) == [
        "retention.incident_anonymise",
        "retention.incident_text",
    ]
    text_row = rows.get(action="retention.incident_text")
    assert text_row.changes["ids"] == [None, sorted([old.pk, middle.pk])]
    # The earlier audit rows (the creates) no longer hold the dropped text; the recent one's still does.
    trail = AuditEvent.objects.filter(object_type="situation.incident")
    texts = str(list(trail.values_list("changes", flat=True)))
    assert "Krossad ruta." not in texts and "Klotter i tunneln." not in texts
    assert "Bränd soptunna." in texts and actions.SCRUBBED in texts

    # A second run finds nothing left to do and writes nothing.
    count = AuditEvent.objects.count()
    with time_machine.travel(NOW, tick=False):
        again = StringIO()
        call_command("apply_retention", stdout=again)
    assert "Inget att gallra." in again.getvalue()
    assert AuditEvent.objects.count() == count


@override_settings(TRYGG_RETENTION={**POLICY, "incident_delete_months": 36})
def test_incidents_past_the_delete_period_are_deleted(municipality, coordinator):
    ancient = _incident(municipality, coordinator, dt.datetime(2022, 12, 31, tzinfo=dt.UTC), "Gammal.")
    kept = _incident(municipality, coordinator, dt.datetime(2023, 4, 1, tzinfo=dt.UTC), "Nyare.")
    with time_machine.travel(NOW, tick=False):
        retention.apply(retention.due())
    assert not Incident.objects.filter(pk=ancient.pk).exists()
    assert Incident.objects.get(pk=kept.pk).description == ""  # anonymised, not deleted
    deleted = AuditEvent.objects.get(action="retention.incident_delete")
    assert deleted.changes["ids"] == [None, [ancient.pk]]


@override_settings(TRYGG_RETENTION={**POLICY, "incident_text_months": 0, "incident_anonymise_months": 0})
def test_a_period_of_zero_keeps_everything(three_incidents):
    with time_machine.travel(NOW, tick=False):
        assert [b.step.key for b in retention.due()] == []


def _job(municipality, finished_at, status=ImportJob.Status.DONE) -> ImportJob:
    job = ImportJob(municipality=municipality, kind="bra", status=status, finished_at=finished_at)
    job.file.save("import.csv", ContentFile(b"region;value\n"), save=False)
    job.save()
    return job


@override_settings(TRYGG_RETENTION={**POLICY, "import_file_days": 2})
def test_uploaded_import_files_are_deleted_after_processing(municipality, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    finished = _job(municipality, dt.datetime(2026, 3, 12, tzinfo=dt.UTC))
    too_recent = _job(municipality, dt.datetime(2026, 3, 14, tzinfo=dt.UTC))
    queued = _job(municipality, None, status=ImportJob.Status.QUEUED)
    paths = {job.pk: tmp_path / job.file.name for job in (finished, too_recent, queued)}
    assert all(path.exists() for path in paths.values())

    with time_machine.travel(NOW, tick=False), TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        retention.apply(retention.due())
    assert callbacks  # the files go only once the transaction has committed
    assert not paths[finished.pk].exists()
    assert paths[too_recent.pk].exists() and paths[queued.pk].exists()
    finished.refresh_from_db()
    assert finished.file.name == "" and finished.status == ImportJob.Status.DONE


@override_settings(TRYGG_RETENTION=POLICY)
def test_dialog_submissions_lose_text_photo_and_exact_point(municipality, coordinator, settings, tmp_path):
    from trygg.dialog.tests.audit_cases import _submission
    from trygg.tests.cases import Ctx

    settings.MEDIA_ROOT = tmp_path
    place = _place(municipality)
    submission = _submission(Ctx(municipality=municipality, user=coordinator))
    submission.submitted_on = dt.date(2024, 2, 1)
    submission.lat, submission.lon = place.lat + 0.002, place.lon
    submission.photo.save("foto.jpg", ContentFile(b"\xff\xd8 jpeg"), save=False)
    submission.save()
    photo = tmp_path / submission.photo.name

    with time_machine.travel(NOW, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        retention.apply(retention.due())
    submission.refresh_from_db()
    assert submission.text == "" and submission.location_text == "" and not submission.photo
    assert not photo.exists()
    assert (submission.lat, submission.lon) == pytest.approx(
        h3_int.cell_to_latlng(h3_int.latlng_to_cell(place.lat + 0.002, place.lon, 8)), abs=1e-6
    )


@override_settings(TRYGG_RETENTION={**POLICY, "incident_text_months": 6, "incident_delete_months": 60})
def test_privacy_page_states_the_configured_periods(client, db):
    page = client.get("/integritet/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fritexten tas bort 6 månader efter händelsen." in html
    assert "Efter 60 månader raderas händelsen helt." in html
    assert "inga IP-adresser" in html
    assert 'style="' not in html and "<script>" not in html
    assert any("Händelser i lägesbilden" in e.what for e in entries())


def test_privacy_page_is_public_and_read_only(client, db):
    assert client.get("/integritet/").status_code == 200
    assert client.post("/integritet/").status_code == 405
