"""Staff pages of the dialog: who may see and do what, the moderation flow, filters, exports, turning a
submission into a focus area or a measure, and the analysis page."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from trygg.dialog.models import Submission
from trygg.situation.models import Action, FocusArea

from .conftest import submit_direct

pytestmark = pytest.mark.django_db


def test_every_role_reads_outsiders_do_not(personas, login, campaign):
    url = reverse("dialog:campaign_detail", args=[campaign.pk])
    for role in ("admin", "coordinator", "unit_editor", "partner", "reader"):
        assert login(personas[role]).get(url).status_code == 200, role
    assert login(personas["outsider"]).get(url).status_code == 404
    assert login(personas["outsider"]).get(reverse("dialog:campaign_list")).status_code == 403


def test_only_coordinators_moderate_and_export(personas, login, campaign, place):
    submission = submit_direct(campaign, place=place, status="pending")
    moderate = reverse("dialog:submission_moderate", args=[submission.pk])
    for role in ("unit_editor", "partner", "reader"):
        client = login(personas[role])
        assert client.post(moderate, {"status": "approved"}).status_code == 403
        assert client.get(reverse("dialog:export_csv", args=[campaign.pk])).status_code == 403
    assert login(personas["coordinator"]).get(moderate).status_code == 405
    assert Submission.objects.get().status == "pending"


@pytest.mark.parametrize("role", ["unit_editor", "partner", "reader"])
def test_unmoderated_text_is_only_for_those_who_moderate(personas, login, campaign, place, role):
    pending = submit_direct(campaign, place=place, status="pending", text="Ogranskad text")
    approved = submit_direct(campaign, place=place, status="approved", text="Godkänd text")
    client = login(personas[role])
    assert client.get(reverse("dialog:moderation_queue", args=[campaign.pk])).status_code == 403
    assert client.get(reverse("dialog:submission_detail", args=[pending.pk])).status_code == 403
    assert client.get(reverse("dialog:submission_detail", args=[approved.pk])).status_code == 200
    listing = client.get(reverse("dialog:submission_list", args=[campaign.pk])).content.decode()
    assert "Godkänd text" in listing and "Ogranskad text" not in listing
    overview = client.get(reverse("dialog:campaign_detail", args=[campaign.pk])).content.decode()
    assert reverse("dialog:moderation_queue", args=[campaign.pk]) not in overview
    coordinator = login(personas["coordinator"])
    listing = coordinator.get(reverse("dialog:submission_list", args=[campaign.pk])).content.decode()
    assert "Godkänd text" in listing and "Ogranskad text" in listing


def test_the_queue_shows_pending_and_approval_moves_it_out(personas, login, campaign, place):
    submission = submit_direct(campaign, place=place, status="pending", text="Väntande text")
    client = login(personas["coordinator"])
    queue = reverse("dialog:moderation_queue", args=[campaign.pk])
    assert "Väntande text" in client.get(queue).content.decode()
    response = client.post(
        reverse("dialog:submission_moderate", args=[submission.pk]), {"status": "approved", "next": "queue"}
    )
    assert response.status_code == 302 and response["Location"] == queue
    assert Submission.objects.get().status == "approved"
    assert "Väntande text" not in client.get(queue).content.decode()


def test_filters_and_csv_export_neutralise_formulas(personas, login, campaign, place):
    submit_direct(
        campaign, place=place, text='=HYPERLINK("http://x")', categories=["belysning"], time_of_day="natt"
    )
    submit_direct(campaign, place=place, text="Dagtext", categories=["nedskrapning"], time_of_day="dag")
    client = login(personas["coordinator"])
    listing = client.get(
        reverse("dialog:submission_list", args=[campaign.pk]), {"time_of_day": "dag"}
    ).content.decode()
    assert "Dagtext" in listing and "HYPERLINK" not in listing
    listing = client.get(
        reverse("dialog:submission_list", args=[campaign.pk]), {"category": "belysning"}
    ).content.decode()
    assert "Dagtext" not in listing and "HYPERLINK" in listing
    body = client.get(reverse("dialog:export_csv", args=[campaign.pk])).content.decode().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    assert len(rows) == 2
    assert {r["text"] for r in rows} == {'\'=HYPERLINK("http://x")', "Dagtext"}
    data = json.loads(
        client.get(reverse("dialog:export_geojson", args=[campaign.pk]), {"category": "nedskrapning"}).content
    )
    assert [f["properties"]["text"] for f in data["features"]] == ["Dagtext"]
    assert data["features"][0]["geometry"]["coordinates"] == [place.lon, place.lat]


def test_turn_a_submission_into_a_focus_area_and_a_measure(personas, login, campaign, place):
    submission = submit_direct(campaign, place=place, categories=["belysning"])
    client = login(personas["coordinator"])
    response = client.post(
        reverse("dialog:submission_focus_area", args=[submission.pk]), {"start": "2024-05-01", "weeks": "4"}
    )
    area = FocusArea.objects.get()
    assert response["Location"] == reverse("situation:focus_area_detail", args=[area.pk])
    assert area.place == place and submission.receipt in area.problem
    client.post(reverse("dialog:submission_action", args=[submission.pk]), {"title": "Byt armaturer"})
    action = Action.objects.get()
    assert (
        action.kind == "lighting"
        and action.title == "Byt armaturer"
        and submission.receipt in action.description
    )


def test_a_focus_area_needs_a_place(personas, login, campaign):
    submission = submit_direct(campaign, location_text="Någonstans", status="approved")
    client = login(personas["coordinator"])
    response = client.post(
        reverse("dialog:submission_focus_area", args=[submission.pk]),
        {"start": "2024-05-01", "weeks": "4"},
        follow=True,
    )
    assert "inte vid någon känd plats" in response.content.decode()
    assert not FocusArea.objects.exists()


def test_overview_analysis_and_photo(personas, login, campaign, place):
    for when in ("kvall", "natt", "dag"):
        submit_direct(campaign, place=place, time_of_day=when, age_group="25-44", gender="kvinna")
    client = login(personas["reader"])
    overview = client.get(reverse("dialog:campaign_detail", args=[campaign.pk])).content.decode()
    assert "25–44 år" in overview and "hex-data" in overview
    analysis = client.get(reverse("dialog:campaign_analysis", args=[campaign.pk])).content.decode()
    assert "inget slumpmässigt urval" in analysis and "Bonferroni" in analysis
    assert (
        client.get(reverse("dialog:submission_photo", args=[Submission.objects.first().pk])).status_code
        == 404
    )


def test_campaign_form_validates_dates_and_area(personas, login, kungalv):
    client = login(personas["coordinator"])
    data = {
        "title": "T",
        "question": "Q",
        "starts": "2024-06-01",
        "ends": "2024-05-01",
        "categories": ["belysning"],
    }
    response = client.post(reverse("dialog:campaign_create"), data)
    assert response.status_code == 200 and "Slutdatumet ligger före" in response.content.decode()
    response = client.post(
        reverse("dialog:campaign_create"), {**data, "ends": "2024-07-01", "area_text": '{"type": "Point"}'}
    )
    assert "Polygon" in response.content.decode()
