"""Every plans view for every persona, the wrong HTTP method, and query-count guards."""

import pytest
from django.urls import reverse

from trygg.plans.actions import do_set_activity_status
from trygg.plans.models import ActivityStatus, StatusChange

from .builders import build_plan

pytestmark = pytest.mark.django_db

READERS = ["admin", "coordinator", "unit_editor", "partner", "reader"]


@pytest.fixture
def demo(unit, other_unit):
    plan, follow_up = build_plan(units=[unit, other_unit], areas=2, activities=2)
    own = plan.areas.first().interventions.first().activities.filter(units=unit).first()
    foreign = plan.areas.first().interventions.first().activities.filter(units=other_unit).first()
    return plan, follow_up, own, foreign


def read_urls(plan, follow_up, activity):
    return [
        reverse("plans:plan_list"),
        reverse("plans:plan_detail", args=[plan.slug]),
        reverse("plans:activity_detail", args=[activity.pk]),
        reverse("plans:follow_up_detail", args=[plan.slug, follow_up.year]),
        reverse("plans:follow_up_report", args=[plan.slug, follow_up.year, "html"]),
    ]


@pytest.mark.parametrize("who", READERS)
def test_every_role_can_read_every_plan_page(personas, login, demo, who):
    plan, follow_up, own, _ = demo
    client = login(personas[who])
    for url in read_urls(plan, follow_up, own):
        assert client.get(url).status_code == 200, url


def test_outsider_is_refused_every_page(personas, login, demo):
    """No role in any municipality: the list is refused, and the plan's objects do not exist for them."""
    plan, follow_up, own, _ = demo
    client = login(personas["outsider"])
    edit = reverse("plans:activity_status_edit", args=[own.pk, follow_up.year])
    list_url, *object_urls = read_urls(plan, follow_up, own)
    assert client.get(list_url).status_code == 403
    assert client.get(reverse("plans:plan_import")).status_code == 403
    for url in [*object_urls, edit]:
        assert client.get(url).status_code == 404, url
    assert client.post(edit, {"status": "done", "comment": "x"}).status_code == 404


def test_anonymous_is_sent_to_login(client, demo):
    plan, follow_up, own, _ = demo
    for url in read_urls(plan, follow_up, own):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("who", "own_allowed", "foreign_allowed"),
    [
        ("admin", True, True),
        ("coordinator", True, True),
        ("unit_editor", True, False),
        ("partner", False, False),
        ("reader", False, False),
    ],
)
def test_status_edit_permissions_per_role(personas, login, demo, who, own_allowed, foreign_allowed):
    plan, follow_up, own, foreign = demo
    client = login(personas[who])
    for activity, allowed in [(own, own_allowed), (foreign, foreign_allowed)]:
        url = reverse("plans:activity_status_edit", args=[activity.pk, follow_up.year])
        response = client.post(url, {"status": "delayed", "comment": f"Ändrad av {who}"})
        stored = ActivityStatus.objects.get(activity=activity, follow_up=follow_up)
        if allowed:
            assert response.status_code == 302
            assert (stored.status, stored.comment) == ("delayed", f"Ändrad av {who}")
        else:
            assert response.status_code == 403
            assert stored.comment != f"Ändrad av {who}"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("coordinator", True), ("unit_editor", False), ("partner", False), ("reader", False)],
)
def test_follow_up_texts_edit_permissions(personas, login, demo, who, allowed):
    plan, follow_up, _, _ = demo
    url = reverse("plans:follow_up_edit", args=[plan.slug, follow_up.year])
    data = {
        "date": "2024-02-20",
        "recipient": "Kommunstyrelse",
        "introduction": "I",
        "summary": "S",
        "current_analysis": "N",
    }
    response = login(personas[who]).post(url, data)
    follow_up.refresh_from_db()
    assert (response.status_code == 302) is allowed
    assert (follow_up.summary == "S") is allowed


def test_wrong_http_methods_are_rejected(personas, login, demo):
    plan, follow_up, own, _ = demo
    client = login(personas["coordinator"])
    for url in read_urls(plan, follow_up, own):
        assert client.post(url).status_code == 405, url
    edit = reverse("plans:activity_status_edit", args=[own.pk, follow_up.year])
    assert client.delete(edit).status_code == 405


def test_edit_shows_change_in_history_and_warns_on_contradicting_dates(personas, login, demo):
    plan, follow_up, own, _ = demo
    do_set_activity_status(own, follow_up, "ongoing", "Före", acting_user=None)
    client = login(personas["unit_editor"])
    url = reverse("plans:activity_status_edit", args=[own.pk, follow_up.year])
    response = client.post(url, {"status": "not_started", "comment": "Vi har **inte** börjat"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Planerad start (2023-01-01) har passerats" in page  # a warning, not a block
    assert "<strong>inte</strong>" in page
    change = StatusChange.objects.filter(activity=own).first()
    assert change.changed_by == personas["unit_editor"] and change.new_status == "not_started"
    history = page.split("Historik", 1)[1]
    first_row = history.split("<li>", 1)[1].split("</li>", 1)[0]
    # The history in words: who changed what from what to what.
    assert (
        f"{personas['unit_editor'].username} ändrade status för 2023 från Pågående till Ej påbörjad"
        in " ".join(first_row.split())
    )


def test_invalid_status_gives_swedish_error_and_changes_nothing(personas, login, demo):
    plan, follow_up, own, _ = demo
    before = ActivityStatus.objects.get(activity=own, follow_up=follow_up)
    history = StatusChange.objects.count()
    url = reverse("plans:activity_status_edit", args=[own.pk, follow_up.year])
    response = login(personas["coordinator"]).post(url, {"status": "klar", "comment": "x"})
    assert response.status_code == 200
    assert "”klar” finns inte" in response.content.decode()
    after = ActivityStatus.objects.get(activity=own, follow_up=follow_up)
    assert (after.status, after.comment) == (before.status, before.comment)
    assert StatusChange.objects.count() == history


def test_unknown_activity_and_year_give_404(personas, login, demo):
    plan, follow_up, own, _ = demo
    client = login(personas["coordinator"])
    assert client.get(reverse("plans:activity_status_edit", args=[999999, 2023])).status_code == 404
    assert client.get(reverse("plans:activity_status_edit", args=[own.pk, 1999])).status_code == 404
    assert client.get(reverse("plans:follow_up_report", args=[plan.slug, 2023, "exe"])).status_code == 404


def test_preview_renders_comment_inert_without_saving(personas, login, demo):
    plan, follow_up, own, _ = demo
    url = reverse("plans:activity_status_edit", args=[own.pk, follow_up.year])
    payload = {"status": "done", "comment": "*viktigt*\n\n<script>alert(1)</script>", "preview": "1"}
    response = login(personas["coordinator"]).post(url, payload)
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<em>viktigt</em>" in page
    assert ActivityStatus.objects.get(activity=own, follow_up=follow_up).comment != payload["comment"]
    htmx = login(personas["coordinator"]).post(url, payload, headers={"HX-Request": "true"})
    assert htmx.content.decode().lstrip().startswith('<section id="preview"')


def test_overview_filters_by_status_unit_and_political(personas, login, demo, other_unit):
    plan, follow_up, own, foreign = demo
    client = login(personas["reader"])
    url = reverse("plans:plan_detail", args=[plan.slug])
    status = ActivityStatus.objects.get(activity=own, follow_up=follow_up).status
    page = client.get(url, {"status": status}).content.decode()
    assert own.title in page
    shown = {a.title for a in plan.areas.first().interventions.first().activities.all() if a.title in page}
    assert shown == {own.title}
    page = client.get(url, {"enhet": other_unit.pk}).content.decode()
    assert foreign.title in page and own.title not in page
    page = client.get(url, {"politiskt": "ja"}).content.decode()
    assert "Aktivitet 1.1.1" in page and "Aktivitet 1.1.2" not in page


@pytest.mark.parametrize("view", ["plan_detail", "follow_up_detail"])
def test_overview_queries_do_not_grow_with_activities(personas, view, client):
    small, _ = build_plan(slug="liten", areas=1, activities=2)
    large, _ = build_plan(slug="stor", areas=5, interventions=3, activities=8)
    client.force_login(personas["unit_editor"])

    def count(plan):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        args = [plan.slug] if view == "plan_detail" else [plan.slug, 2023]
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"plans:{view}", args=args)).status_code == 200
        return len(ctx.captured_queries)

    assert count(large) == count(small)


@pytest.mark.parametrize(
    ("who", "allowed"), [("coordinator", True), ("unit_editor", False), ("reader", False)]
)
def test_plan_import_via_web_is_for_coordinators(personas, login, demo, who, allowed):
    import io

    from trygg.plans.exchange import export_plan_json

    plan, follow_up, own, _ = demo
    exported = export_plan_json(plan).replace("Aktivitet 1.1.1", "Aktivitet 1.1.1 (ändrad)")
    upload = io.BytesIO(exported.encode())
    upload.name = "plan.json"
    response = login(personas[who]).post(reverse("plans:plan_import"), {"file": upload})
    assert (response.status_code == 302) is allowed
    assert (
        plan.areas.first().interventions.first().activities.filter(title__endswith="(ändrad)").exists()
        is allowed
    )


def test_bad_import_file_shows_swedish_errors_and_changes_nothing(personas, login, demo):
    import io

    from trygg.plans.exchange import export_plan

    plan, *_ = demo
    before = export_plan(plan)
    upload = io.BytesIO(b'{"format": "trygg.plan/1", "plan": {"slug": 5}}')
    upload.name = "plan.json"
    response = login(personas["coordinator"]).post(reverse("plans:plan_import"), {"file": upload})
    assert response.status_code == 200
    assert "Filen importerades inte" in response.content.decode()
    assert export_plan(plan) == before
    wrong = io.BytesIO(b"MZ")
    wrong.name = "virus.exe"
    response = login(personas["coordinator"]).post(reverse("plans:plan_import"), {"file": wrong})
    assert "måste vara en .json- eller .xlsx-fil" in response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_export_downloads_for_readers(personas, login, demo, fmt):
    plan, *_ = demo
    response = login(personas["reader"]).get(reverse("plans:plan_export", args=[plan.slug, fmt]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert (
        login(personas["outsider"]).get(reverse("plans:plan_export", args=[plan.slug, fmt])).status_code
        == 404
    )


def test_draft_fills_current_analysis_without_saving(personas, login, demo, monkeypatch):
    from trygg.plans import report

    plan, follow_up, *_ = demo
    monkeypatch.setattr(report, "_current_analysis_drafters", [lambda f: f"Förslag för {f.year}."])
    url = reverse("plans:follow_up_edit", args=[plan.slug, follow_up.year])
    data = {
        "date": "2024-02-20",
        "recipient": "Kommunstyrelse",
        "introduction": "I",
        "summary": "S",
        "current_analysis": "Gammal text",
        "draft": "1",
    }
    page = login(personas["coordinator"]).post(url, data).content.decode()
    assert "Förslag för 2023." in page and "sparas först när du trycker på Spara" in page
    follow_up.refresh_from_db()
    assert follow_up.current_analysis != "Förslag för 2023."


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_report_downloads_for_every_reading_role(personas, login, demo, who, fmt):
    plan, follow_up, *_ = demo
    url = reverse("plans:follow_up_report", args=[plan.slug, follow_up.year, fmt])
    response = login(personas[who]).get(url)
    assert response.status_code == 200
    assert response.content[:4] == (b"%PDF" if fmt == "pdf" else b"PK\x03\x04")
    assert login(personas["outsider"]).get(url).status_code == 404


def test_personal_data_in_comment_is_redacted_and_the_editor_told(personas, login, demo):
    plan, follow_up, own, _ = demo
    url = reverse("plans:activity_status_edit", args=[own.pk, follow_up.year])
    comment = "Kontakt 19121212-1212 eller 070-123 45 67 om ärendet."
    page = login(personas["coordinator"]).post(url, {"status": "ongoing", "comment": comment}, follow=True)
    stored = ActivityStatus.objects.get(activity=own, follow_up=follow_up).comment
    assert "19121212-1212" not in stored and "070-123 45 67" not in stored
    assert stored.startswith("Kontakt [borttaget: personnummer]")
    assert "Vi tog bort 1 personnummer och 1 telefonnummer ur kommentaren" in page.content.decode()
