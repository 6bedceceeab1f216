"""Backup → restore round trip: after changes made since the backup (rows added and deleted, a file lost),
restore brings back identical row counts and checksums for every table, and the uploaded files. Runs on the
database the suite runs on: SQLite by default, PostgreSQL when DATABASE_URL says so (pg_dump/pg_restore)."""

from __future__ import annotations

import datetime as dt
import json
import tarfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from trygg.accounts.models import AuditEvent, Role
from trygg.conftest import make_user
from trygg.operations import backup
from trygg.situation.models import Incident
from trygg.situation.tests.audit_cases import _incident
from trygg.tests.cases import Ctx

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def installation(municipality, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "dialog").mkdir(parents=True)
    (settings.MEDIA_ROOT / "dialog" / "foto.jpg").write_bytes(b"\xff\xd8 ett foto")
    (settings.MEDIA_ROOT / "indicator_imports" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "indicator_imports" / "2026" / "import.csv").write_text("region;värde\n1482;3\n")
    user = make_user("backup-samordnare", Role.COORDINATOR, municipality=municipality)
    ctx = Ctx(municipality=municipality, user=user)
    incidents = [_incident(ctx) for _ in range(3)]
    return ctx, incidents


def _round_trip(installation, settings, tmp_path):
    ctx, incidents = installation
    before = backup.live_summary()
    assert before["situation_incident"]["rows"] == 3

    out = StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    archive = next((tmp_path / "backups").glob("trygg-backup-*.tar.gz"))
    assert str(archive) in out.getvalue()
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    manifest = backup.read_manifest(archive)
    # The manifest holds exactly what the database held when the backup was made.
    assert manifest["tables"] == before
    assert manifest["vendor"] == connection.vendor
    assert set(manifest["media"]) == {"dialog/foto.jpg", "indicator_imports/2026/import.csv"}

    # Life goes on: an incident deleted, another changed, a new one, a file lost.
    Incident.objects.filter(pk=incidents[0].pk).delete()
    Incident.objects.filter(pk=incidents[1].pk).update(description="Ändrad efter säkerhetskopian.")
    _incident(ctx)
    (settings.MEDIA_ROOT / "dialog" / "foto.jpg").unlink()
    (settings.MEDIA_ROOT / "ny.txt").write_text("efter")
    changed = backup.live_summary()
    assert changed["situation_incident"] != before["situation_incident"]

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    done = StringIO()
    call_command("restore", str(archive), "--yes", stdout=done)
    assert "stämmer med manifestet" in done.getvalue()

    after = backup.live_summary()
    assert after == before  # identical row counts and checksums, every table
    assert sorted(Incident.objects.values_list("pk", flat=True)) == sorted(i.pk for i in incidents)
    assert Incident.objects.get(pk=incidents[1].pk).description == "Första."
    assert (settings.MEDIA_ROOT / "dialog" / "foto.jpg").read_bytes() == b"\xff\xd8 ett foto"
    assert not (settings.MEDIA_ROOT / "ny.txt").exists()
    assert AuditEvent.objects.filter(object_type="situation.incident").count() == 3
    # The database works after the restore (sequences too: a new row gets a fresh id).
    new = _incident(ctx)
    assert new.pk not in {i.pk for i in incidents}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the suite runs on PostgreSQL (DATABASE_URL)")
def test_backup_restore_round_trip_on_sqlite(installation, settings, tmp_path):
    _round_trip(installation, settings, tmp_path)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://…")
def test_backup_restore_round_trip_on_postgresql(installation, settings, tmp_path):
    _round_trip(installation, settings, tmp_path)


def test_a_damaged_archive_is_refused_before_anything_changes(installation, settings, tmp_path):
    result = backup.create_backup(tmp_path / "backups", now=dt.datetime(2026, 3, 15, tzinfo=dt.UTC))
    # Rewrite the archive with one media file changed but the manifest kept.
    bad = tmp_path / "bad.tar.gz"
    work = tmp_path / "unpacked"
    with tarfile.open(result.path) as tar:
        tar.extractall(work, filter="data")
    (work / "media" / "dialog" / "foto.jpg").write_bytes(b"manipulerad")
    with tarfile.open(bad, "w:gz") as tar:
        for path in sorted(work.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(work).as_posix())
    Incident.objects.all().delete()
    with pytest.raises(backup.BackupError, match="skadad"):
        backup.restore_backup(bad)
    assert not Incident.objects.exists()  # nothing was restored
    assert json.loads((work / "manifest.json").read_text())["tables"]["situation_incident"]["rows"] == 3


def test_an_archive_with_paths_outside_the_target_is_refused(db, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "x"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(payload, arcname="../../utanfor.txt")
    with pytest.raises(tarfile.OutsideDestinationError):
        backup.restore_backup(evil)
