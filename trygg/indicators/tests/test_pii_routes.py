"""No personnummer gets in: a valid-checksum personnummer sent through every route that writes a declared
free-text field of the statistics models (Indicator: title, description, source; ImportJob: original_name,
message) never reaches the database. Routes: the local indicator web form, `import_indicators --kind local`,
a web import of a local CSV (file name, contents and a failing file's message), and the admin (read-only)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from trygg.accounts import writes
from trygg.indicators.models import ImportJob, Indicator
from trygg.lib.pii import find_pii

PERSONNUMMER = "19811218-9876"
ROUTED_MODELS = (Indicator, ImportJob)


def assert_no_personnummer_stored() -> None:
    """Every declared free-text field of every row of the routed models is free of personal data."""
    checked = 0
    for model in ROUTED_MODELS:
        fields = list(writes.free_text_fields(model))
        for row in model.objects.values("pk", *fields):
            for name in fields:
                assert PERSONNUMMER not in row[name], f"{model.__name__}.{name}: {row[name]!r}"
                assert find_pii(row[name]) == [], f"{model.__name__}.{name}: {row[name]!r}"
                checked += 1
    assert checked, "nothing was written: the route did not reach the database"


def local_csv(**cells) -> bytes:
    row = {
        "indikator": "LOKAL.samtal",
        "titel": f"Samtal, kontakt {PERSONNUMMER}",
        "region": "1482",
        "år": "2023",
        "värde": "12",
        "källa": f"Socialtjänsten ({PERSONNUMMER})",
        "beskrivning": f"Uppgiftslämnare {PERSONNUMMER}",
        **cells,
    }
    return (";".join(row) + "\n" + ";".join(row.values()) + "\n").encode()


def test_the_local_indicator_form(personas, login, regions):
    client = login(personas["coordinator"])
    response = client.post(
        reverse("indicators:local_figures"),
        {
            "create_indicator": "1",
            "code": "samtal",
            "title": f"Samtal med {PERSONNUMMER}",
            "unit": "antal",
            "description": f"Ring {PERSONNUMMER} för frågor",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "personnummer" in response.content.decode()  # the coordinator is told what was removed
    indicator = Indicator.objects.get(code="LOKAL.samtal")
    assert indicator.title.startswith("Samtal med")
    assert_no_personnummer_stored()


def test_the_import_indicators_command(regions, municipality, tmp_path):
    path = tmp_path / "lokala.csv"
    path.write_bytes(local_csv())
    call_command("import_indicators", "--kind", "local", "--municipality", "1482", str(path), verbosity=0)
    assert Indicator.objects.filter(code="LOKAL.samtal", municipality=municipality).exists()
    assert_no_personnummer_stored()


def test_a_web_import_of_a_local_csv(personas, login, regions, django_capture_on_commit_callbacks):
    client = login(personas["coordinator"])
    upload = SimpleUploadedFile(f"lokala {PERSONNUMMER}.csv", local_csv())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicators:import"), {"kind": "local", "file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.message
    assert PERSONNUMMER not in job.file.name
    assert Indicator.objects.filter(code="LOKAL.samtal").exists()
    assert_no_personnummer_stored()


def test_a_failing_web_import_does_not_quote_the_personnummer(
    personas, login, regions, django_capture_on_commit_callbacks
):
    client = login(personas["coordinator"])
    upload = SimpleUploadedFile("fel.csv", local_csv(värde=PERSONNUMMER))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicators:import"), {"kind": "local", "file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert "Rad 2: värdet" in job.message and "är inte ett tal" in job.message  # the reason is still there
    assert not Indicator.objects.exists()
    assert_no_personnummer_stored()


@pytest.mark.parametrize("model", ["indicator", "importjob"])
def test_the_admin_writes_nothing(personas, login, regions, model):
    client = login(personas["admin"])
    response = client.post(
        reverse(f"admin:indicators_{model}_add"),
        {
            "code": "LOKAL.x",
            "title": PERSONNUMMER,
            "description": PERSONNUMMER,
            "original_name": PERSONNUMMER,
        },
    )
    assert response.status_code == 403
    assert not Indicator.objects.filter(code="LOKAL.x").exists() and not ImportJob.objects.exists()
