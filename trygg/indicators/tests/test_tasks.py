"""Imports started from the web run as django-tasks (immediate backend in tests) and report on ImportJob."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.indicators.models import ImportJob, Observation
from trygg.indicators.tasks import run_import_job

IMPORT_URL = reverse("indicators:import")


def _upload(client, kind, name, data, capture):
    with capture(execute=True):
        return client.post(IMPORT_URL, {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_the_administrator_uploads_a_national_file_and_the_task_imports_it(
    personas, login, shared_data, regions, django_capture_on_commit_callbacks
):
    client = login(personas["admin"])
    data = (shared_data / "bra_sol_riket_2000_2016.csv").read_bytes()
    response = _upload(client, "bra", "bra.csv", data, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:import_job", args=[job.pk])
    assert (job.status, job.progress, job.rows_read, job.created_count) == ("done", 100, 170, 170)
    assert job.created_by == personas["admin"]
    assert job.municipality.code == "1482"  # started in the admin's current municipality
    assert "170 observationer lästa" in job.message
    assert Observation.objects.count() == 170
    page = client.get(response["Location"])
    assert '<progress id="import-progress" max="100" value="100">' in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()  # finished: no more polling


def test_a_bad_file_fails_the_job_with_the_swedish_reason_and_writes_nothing(
    personas, login, regions, django_capture_on_commit_callbacks
):
    client = login(personas["admin"])
    data = "brott;år;region;antal\nVåldsbrott;2022;Kungälv;462\nVåldsbrott;2023;Atlantis;1\n".encode()
    _upload(client, "bra", "fel.csv", data, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert "Rad 3: okänd region 'Atlantis'" in job.message
    assert not Observation.objects.exists()
    page = client.get(reverse("indicators:import_job", args=[job.pk])).content.decode()
    assert "Importen misslyckades och ingenting har sparats." in page
    assert "Atlantis" in page


def test_a_running_job_page_refreshes_itself_without_javascript(personas, login, db, municipality):
    job = ImportJob.objects.create(
        municipality=municipality, kind="bra", file="x.csv", status="running", progress=40
    )
    page = (
        login(personas["coordinator"]).get(reverse("indicators:import_job", args=[job.pk])).content.decode()
    )
    assert '<meta http-equiv="refresh" content="2">' in page
    assert 'value="40"' in page


def test_a_finished_job_is_not_run_twice(regions, shared_data, tmp_path, municipality):
    from django.core.files.base import ContentFile

    job = ImportJob(municipality=municipality, kind="bra")
    job.file.save("bra.csv", ContentFile((shared_data / "bra_sol_riket_2000_2016.csv").read_bytes()))
    run_import_job.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    Observation.objects.all().delete()
    run_import_job.enqueue(job.pk)
    assert not Observation.objects.exists()


@pytest.mark.parametrize("who", ["unit_editor", "partner", "reader", "outsider"])
def test_only_coordinators_and_admins_may_import(personas, login, who, db):
    client = login(personas[who])
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"kind": "bra"}).status_code == 403
    assert not ImportJob.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_wrong_http_method_is_refused(personas, login, db, municipality):
    client = login(personas["coordinator"])
    assert client.put(IMPORT_URL).status_code == 405
    job = ImportJob.objects.create(municipality=municipality, kind="bra", file="x.csv")
    assert client.post(reverse("indicators:import_job", args=[job.pk])).status_code == 405


def test_import_page_lists_jobs_with_a_constant_number_of_queries(
    personas, login, db, django_assert_max_num_queries, municipality
):
    client = login(personas["coordinator"])
    for n in range(5):
        ImportJob.objects.create(
            municipality=municipality,
            kind="bra",
            file=f"{n}.csv",
            original_name=f"{n}.csv",
            created_by=personas["admin"],
        )
    # session, user, roles, the user's municipalities (current one, header), jobs with their users
    with django_assert_max_num_queries(6):
        response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 6


def test_an_invalid_upload_shows_the_form_again(personas, login, db):
    response = login(personas["coordinator"]).post(IMPORT_URL, {"kind": "okand"})
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    assert "okand" in response.content.decode()


def test_htmx_polls_only_the_progress_part_of_a_running_job(personas, login, db, municipality):
    job = ImportJob.objects.create(
        municipality=municipality, kind="bra", file="x.csv", status="running", progress=40
    )
    url = reverse("indicators:import_job", args=[job.pk])
    client = login(personas["coordinator"])
    page = client.get(url).content.decode()
    assert "vendor/htmx/htmx.min.js" in page
    assert f'hx-get="{url}" hx-trigger="every 1s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page  # only without JavaScript
    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert part.lstrip().startswith('<div id="import-status"')
    assert "<html" not in part and 'value="40"' in part and 'hx-trigger="every 1s"' in part


def test_htmx_polling_stops_when_the_job_is_finished(personas, login, db, municipality):
    job = ImportJob.objects.create(
        municipality=municipality,
        kind="bra",
        file="x.csv",
        status="done",
        progress=100,
        message="170 observationer lästa.",
    )
    client = login(personas["coordinator"])
    part = client.get(reverse("indicators:import_job", args=[job.pk]), headers={"HX-Request": "true"})
    html = part.content.decode()
    assert 'value="100"' in html and "170 observationer lästa." in html
    assert "hx-trigger" not in html and "hx-get" not in html
    assert reverse("indicators:dashboard") in html
