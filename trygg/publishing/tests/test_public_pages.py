"""Public plan pages: what an anonymous resident sees, and that nothing unpublished or internal is reachable
(page, activity, report, open data, API)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from trygg.accounts.models import AuditEvent, Role
from trygg.conftest import make_user
from trygg.plans.models import FollowUp, Plan

from .conftest import INTERNAL_COMMENT, PUBLISHED_COMMENT

pytestmark = pytest.mark.django_db


def test_anonymous_resident_sees_published_plan_with_status_in_words_and_only_published_comments(
    client, published
):
    response = client.get(reverse("publishing:plan", args=[published.plan.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert published.plan.name in html
    assert "chip chip-" in html and "Pågående" in html  # symbol and words (the status chip component)
    assert PUBLISHED_COMMENT in html
    assert INTERNAL_COMMENT not in html
    assert "Sammanfattning av året 2023" in html
    assert "Utkast till sammanfattning 2024" not in html  # the 2024 follow-up is not published
    assert reverse("publishing:report", args=[published.plan.slug, 2023, "pdf"]) in html


def test_index_lists_only_published_plans(client, published, private_plan):
    html = client.get(reverse("publishing:index")).content.decode()
    assert published.plan.name in html
    assert private_plan.name not in html


def test_unpublished_plan_is_404_on_every_public_route(client, private_plan):
    activity = private_plan.areas.get().interventions.get().activities.first()
    urls = [
        reverse("publishing:plan", args=[private_plan.slug]),
        reverse("publishing:activity", args=[private_plan.slug, activity.pk]),
        reverse("publishing:report", args=[private_plan.slug, 2023, "html"]),
        reverse("publishing:plan_data", args=[private_plan.slug, "json"]),
        reverse("publishing:plan_data", args=[private_plan.slug, "csv"]),
        f"/api/v1/plans/{private_plan.slug}",
        f"/api/v1/plans/{private_plan.slug}/activities",
        f"/api/v1/plans/{private_plan.slug}/statuses",
        f"/api/v1/plans/{private_plan.slug}/activities/{activity.pk}/history",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert private_plan.slug not in client.get("/api/v1/plans").content.decode()
    assert private_plan.slug not in client.get(reverse("publishing:catalogue")).content.decode()
    assert private_plan.slug not in client.get(reverse("publishing:open_data")).content.decode()


def test_unpublishing_closes_the_plan_again(client, published):
    url = reverse("publishing:plan", args=[published.plan.slug])
    assert client.get(url).status_code == 200
    Plan.objects.filter(pk=published.plan.pk).update(published=False)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/plans/{published.plan.slug}").status_code == 404


def test_unpublished_year_and_internal_comments_never_leave(client, published):
    slug = published.plan.slug
    assert client.get(reverse("publishing:report", args=[slug, 2024, "html"])).status_code == 404
    assert client.get(f"/api/v1/plans/{slug}/activities?year=2024").status_code == 404

    def text(response):
        if response["Content-Type"].startswith("application/json"):
            return json.dumps(response.json(), ensure_ascii=False)  # no \\u escape can hide a word
        return response.content.decode()

    bodies = [
        text(client.get(reverse("publishing:plan", args=[slug]) + "?ar=2024")),
        text(client.get(reverse("publishing:activity", args=[slug, published.hidden.activity_id]))),
        text(client.get(reverse("publishing:plan_data", args=[slug, "json"]))),
        text(client.get(reverse("publishing:plan_data", args=[slug, "csv"]))),
        text(client.get(f"/api/v1/plans/{slug}")),
        text(client.get(f"/api/v1/plans/{slug}/activities")),
        text(client.get(f"/api/v1/plans/{slug}/statuses")),
        text(client.get(f"/api/v1/plans/{slug}/activities/{published.hidden.activity_id}/history")),
    ]
    for body in bodies:
        assert INTERNAL_COMMENT not in body
        assert "Utkast till sammanfattning 2024" not in body
    assert PUBLISHED_COMMENT in bodies[2] and PUBLISHED_COMMENT in bodies[3]


def test_filters_by_area_status_and_political_assignment(client, published):
    url = reverse("publishing:plan", args=[published.plan.slug])
    everything = client.get(url).context["shown_count"]
    assert everything == 6
    assert client.get(url, {"omrade": 2}).context["shown_count"] == 3
    only_political = client.get(url, {"politiskt": "ja"}).context["tree"]
    assert only_political.activities and all(
        n.activity.political_assignment for n in only_political.activities
    )
    status = published.shown.status
    by_status = client.get(url, {"status": status}).context["tree"]
    assert by_status.activities and all(n.status == status for n in by_status.activities)
    assert (
        client.get(url, {"status": "not-a-status"}).context["shown_count"] == everything
    )  # ignored, said so


def test_activity_page_shows_status_per_published_year_and_never_who(client, published, personas):
    activity = published.shown.activity
    html = client.get(
        reverse("publishing:activity", args=[published.plan.slug, activity.pk])
    ).content.decode()
    assert "2023" in html and PUBLISHED_COMMENT in html
    assert "Uppföljning 2024" not in html and "<h3>2024</h3>" not in html
    assert "samordnare" not in html


def test_published_report_downloads(client, published):
    response = client.get(reverse("publishing:report", args=[published.plan.slug, 2023, "html"]))
    assert response.status_code == 200  # tasks run immediately in tests
    assert published.plan.name in response.content.decode()


@pytest.mark.parametrize("fmt", ["pdf", "pdfa"])
def test_public_pdfs_link_the_public_web_version(client, published, settings, tmp_path, fmt):
    from trygg.documents.tests.pdf_structure import read_tagged_pdf

    settings.MEDIA_ROOT = tmp_path

    slug = published.plan.slug
    response = client.get(reverse("publishing:report", args=[slug, 2023, fmt]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    public_html = "http://testserver" + reverse("publishing:report", args=[slug, 2023, "html"])
    assert set(read_tagged_pdf(response.content).first_page_links) == {public_html}


def test_coordinator_publishes_through_audited_actions(client, municipality):
    from trygg.plans.tests.builders import build_plan

    plan, follow_up = build_plan(slug="ny", areas=1, activities=2, municipality=municipality)
    coordinator = make_user("pub-samordnare", Role.COORDINATOR, municipality=municipality)
    client.force_login(coordinator)
    page = client.get(reverse("plans:plan_detail", args=[plan.slug])).content.decode()
    assert "Publicera planen" in page  # the control on the plan page
    url = reverse("publishing:manage", args=[plan.slug])
    client.post(url, {"plan": "1"})
    client.post(url, {"arsval": "1", "ar": ["2023"]})
    activity_id = follow_up.statuses.order_by("pk").first().activity_id
    client.post(url, {"kommentarer_for": "2023", "kommentar": [str(activity_id)]})
    plan.refresh_from_db()
    assert plan.published and FollowUp.objects.get(pk=follow_up.pk).published
    assert list(follow_up.statuses.filter(comment_published=True).values_list("activity_id", flat=True)) == [
        activity_id
    ]
    actions = set(AuditEvent.objects.filter(actor=coordinator).values_list("action", flat=True))
    assert {"plan.update", "followup.update", "activitystatus.update"} <= actions
    client.logout()
    assert client.get(reverse("publishing:plan", args=[plan.slug])).status_code == 200


def test_only_coordinators_and_admins_publish(client, published, municipality):
    reader = make_user("pub-lasare", Role.READER, municipality=municipality)
    client.force_login(reader)
    assert (
        "Publicera planen"
        not in client.get(reverse("plans:plan_detail", args=[published.plan.slug])).content.decode()
    )
    assert (
        client.post(reverse("publishing:manage", args=[published.plan.slug]), {"plan": "0"}).status_code
        == 403
    )
    published.plan.refresh_from_db()
    assert published.plan.published
    client.logout()
    response = client.post(reverse("publishing:manage", args=[published.plan.slug]), {"plan": "0"})
    assert response.status_code == 302 and "/logga-in/" in response["Location"]
