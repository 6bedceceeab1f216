"""Background work started from the web: rendering a follow-up report (django-tasks; immediate in tests)."""

from __future__ import annotations

from django_tasks import task

from .models import FollowUp
from .report_cache import render_and_store


@task()
def render_follow_up_report(follow_up_id: int, fmt: str, web_url: str = "") -> str:
    """Render and store the current version of the report (fmt: html, docx, pdf or pdfa; PDFs link
    web_url, the absolute address of the HTML version, on their first page); returns its storage path."""
    follow_up = FollowUp.objects.select_related("plan__municipality", "plan__program").get(pk=follow_up_id)
    return render_and_store(follow_up, fmt, web_url=web_url).path
