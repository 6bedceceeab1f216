"""Background work started from the web: imports run as django-tasks (database backend in production,
immediate in tests), so a second machine can run the worker."""

from __future__ import annotations

from django_tasks import task

from .actions import do_run_import_job
from .models import ImportJob


@task()
def run_import_job(job_id: int) -> str:
    """Run one ImportJob; the job row carries status, progress and the Swedish outcome message."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.is_finished:
        return job.status  # a retried task must not import twice
    return do_run_import_job(job).status
