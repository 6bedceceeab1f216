"""The follow-up page: every activity with status and comment, filters, in-place editing (HTMX and without
JavaScript), progress; the status chips carry visible text; the report cache."""

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from trygg.plans.actions import do_set_activity_status, do_update_follow_up
from trygg.plans.models import ActivityStatus, StatusChange
from trygg.plans.report_cache import cached_report
from trygg.plans.status_rules import LABELS, Status

from .builders import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(unit, other_unit):
    plan, follow_up = build_plan(units=[unit, other_unit], areas=2, activities=2, with_statuses=False)
    activities = list(plan.areas.first().interventions.first().activities.order_by("pk"))
    own = next(a for a in activities if unit in a.units.all())
    foreign = next(a for a in activities if unit not in a.units.all())
    return plan, follow_up, own, foreign


def page_url(plan, follow_up, query=""):
    return reverse("plans:follow_up_detail", args=[plan.slug, follow_up.year]) + query


def row_url(plan, follow_up, activity):
    return reverse("plans:follow_up_row", args=[plan.slug, follow_up.year, activity.pk])


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_it_lists_every_activity_with_progress(personas, login, demo):
    plan, follow_up, own, _ = demo
    do_set_activity_status(own, follow_up, "ongoing", "Arbetet pågår", acting_user=None)
    response = login(personas["reader"]).get(page_url(plan, follow_up))
    assert response.status_code == 200
    body = text(response)
    assert "1 av 4 rapporterade" in body
    assert "Arbetet pågår" in body
    for activity in plan.areas.first().interventions.first().activities.all():
        assert activity.title in body
    assert "redigera=" not in response.content.decode()  # a reader gets no edit links


def test_filters_mine_and_unreported(personas, login, demo):
    plan, follow_up, own, foreign = demo
    do_set_activity_status(own, follow_up, "ongoing", "", acting_user=None)
    client = login(personas["unit_editor"])
    mine = text(client.get(page_url(plan, follow_up, "?mina=1")))
    assert f"{own.title} " in mine and f"{foreign.title} " not in mine
    unreported = text(client.get(page_url(plan, follow_up, "?ej_rapporterade=1")))
    assert f"{own.title} " not in unreported and f"{foreign.title} " in unreported
    both = text(client.get(page_url(plan, follow_up, "?mina=1&ej_rapporterade=1")))
    assert f"{own.title} " not in both and f"{foreign.title} " not in both
    assert "Visar 1 aktivitet." in both  # the unit's other, unreported activity


def test_saving_without_js_returns_to_the_row_with_the_filters(personas, login, demo):
    plan, follow_up, own, _ = demo
    client = login(personas["unit_editor"])
    edit = client.get(page_url(plan, follow_up, f"?mina=1&redigera={own.pk}"))
    assert f'id="a{own.pk}_comment"' in edit.content.decode()
    response = client.post(
        row_url(plan, follow_up, own), {"status": "done", "comment": "**Klart**", "mina": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(plan, follow_up, f"?mina=1#a-{own.pk}")
    stored = ActivityStatus.objects.get(activity=own, follow_up=follow_up)
    assert (stored.status, stored.comment) == ("done", "**Klart**")
    after = client.get(response["Location"])
    assert "1 av 4 rapporterade" in text(after)


def test_htmx_save_answers_with_the_row_and_a_progress_trigger(personas, login, demo):
    plan, follow_up, own, _ = demo
    client = login(personas["unit_editor"])
    form = client.get(row_url(plan, follow_up, own) + "?redigera=1", HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and "<form" in form.content.decode()
    response = client.post(
        row_url(plan, follow_up, own), {"status": "ongoing", "comment": "Pågår"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and response["HX-Trigger"] == "progress-changed"
    assert html.lstrip().startswith(f'<tr id="a-{own.pk}"') and "row-saved" in html and "Pågående" in html
    progress = client.get(page_url(plan, follow_up, "?del=progress"), HTTP_HX_REQUEST="true")
    assert "1 av 4 rapporterade" in text(progress)


def test_invalid_row_shows_error_summary_and_saves_nothing(personas, login, demo):
    plan, follow_up, own, _ = demo
    response = login(personas["unit_editor"]).post(
        row_url(plan, follow_up, own), {"status": "", "comment": "x"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finns fel i formuläret" in html and f'href="#a{own.pk}_status"' in html
    assert not ActivityStatus.objects.filter(activity=own).exists()


def test_unit_editor_cannot_save_another_units_row(personas, login, demo):
    plan, follow_up, _, foreign = demo
    response = login(personas["unit_editor"]).post(row_url(plan, follow_up, foreign), {"status": "done"})
    assert response.status_code == 403
    assert not StatusChange.objects.exists()


def test_row_url_is_post_or_get_only(personas, login, demo):
    plan, follow_up, own, _ = demo
    assert login(personas["coordinator"]).put(row_url(plan, follow_up, own)).status_code == 405


@pytest.mark.parametrize("status", list(Status))
def test_every_status_shown_in_html_has_visible_text(personas, login, demo, status):
    plan, follow_up, own, _ = demo
    do_set_activity_status(own, follow_up, status.value, "", acting_user=None)
    client = login(personas["reader"])
    for url in (
        page_url(plan, follow_up),
        reverse("plans:plan_detail", args=[plan.slug]),
        reverse("plans:activity_detail", args=[own.pk]),
    ):
        html = client.get(url).content.decode()
        chips = re.findall(rf'<span class="chip chip-{status.value}">(.*?)</span></span>', html, re.S)
        assert chips, url
        for chip in chips:  # the symbol is decorative, the label is text beside it
            assert 'aria-hidden="true"' in chip and f"<span>{LABELS[status]}" in chip


# --- the report cache -------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # FileSystemStorage follows the setting
    assert default_storage.path("x").startswith(str(tmp_path))
    return tmp_path


def report_url(plan, follow_up, fmt="html"):
    return reverse("plans:follow_up_report", args=[plan.slug, follow_up.year, fmt])


def test_repeat_download_comes_from_the_cache(personas, login, demo, media, monkeypatch):
    plan, follow_up, _, _ = demo
    client = login(personas["reader"])
    first = client.get(report_url(plan, follow_up))
    assert first.status_code == 200 and b"Uppf" in first.content
    calls = []
    import trygg.plans.report_cache as cache_module

    monkeypatch.setattr(cache_module, "render_document", lambda *a: calls.append(a) or b"x")
    second = client.get(report_url(plan, follow_up))
    assert second.content == first.content and calls == []


def test_any_status_change_invalidates_the_cached_report(personas, login, demo, media):
    plan, follow_up, own, foreign = demo
    client = login(personas["reader"])
    client.get(report_url(plan, follow_up))
    before = cached_report(follow_up, "html")
    assert before.exists()
    for activity, status in ((own, "ongoing"), (own, "done"), (foreign, "delayed")):
        do_set_activity_status(activity, follow_up, status, "", acting_user=None)
        after = cached_report(follow_up, "html")
        assert after.version != before.version and not after.exists(), status
        before = after
    do_set_activity_status(foreign, follow_up, "delayed", "En kommentar", acting_user=None)
    assert cached_report(follow_up, "html").version != before.version  # a comment too
    before = cached_report(follow_up, "html")
    do_update_follow_up(follow_up, {"summary": "Ny sammanfattning"}, acting_user=None)
    assert cached_report(follow_up, "html").version != before.version  # and the texts
    response = client.get(report_url(plan, follow_up))
    assert "Ny sammanfattning" in response.content.decode()


def test_cold_render_shows_pending_page_while_the_worker_renders(personas, login, demo, media, monkeypatch):
    plan, follow_up, _, _ = demo
    import trygg.plans.views as views

    monkeypatch.setattr(views, "start_render", lambda *a: None)  # a worker elsewhere
    client = login(personas["reader"])
    response = client.get(report_url(plan, follow_up, "pdf"))
    assert response.status_code == 202
    assert "Rapporten skapas…" in response.content.decode()
    assert '<meta http-equiv="refresh"' in response.content.decode()
    from trygg.plans.tasks import render_follow_up_report

    render_follow_up_report.call(follow_up.pk, "pdf")  # the worker finishes
    done = client.get(report_url(plan, follow_up, "pdf"))
    assert done.status_code == 200 and done.content.startswith(b"%PDF")
