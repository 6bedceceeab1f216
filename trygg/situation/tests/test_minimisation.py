"""Data minimisation: roles that do not work the lägesbild (readers, unit editors) see aggregates with small
counts hidden; single incidents, their free text, exports and the meeting brief are for coordinators and
partners. A partner's reports keep the partner's own organisation as source."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.situation.actions import SituationError, do_save_incident
from trygg.situation.minimisation import protected_summary
from trygg.situation.models import Incident

pytestmark = pytest.mark.django_db

RAW = ["situation:export_csv", "situation:export_geojson"]


@pytest.mark.parametrize("role", ["reader", "unit_editor"])
def test_readers_get_no_single_incident_anywhere(client, personas, world, role):
    client.force_login(personas[role])
    for name in RAW:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("situation:incident_detail", args=[world["own"].pk])).status_code == 403
    for name in ("situation:meeting_brief_pdf", "situation:meeting_brief_docx"):
        assert client.get(reverse(name, args=[world["meeting"].pk])).status_code == 403
    table = client.get(reverse("situation:table")).content.decode()
    assert "Häng vid porten" not in table and "SUM(A1) klotter" not in table
    assert "Enskilda händelser visas bara" in table and "&lt;5" in table
    assert reverse("situation:export_csv") not in table
    meeting = client.get(reverse("situation:meeting_detail", args=[world["meeting"].pk])).content.decode()
    assert (
        "brief-preview" not in meeting
        and reverse("situation:meeting_brief_pdf", args=[world["meeting"].pk]) not in meeting
    )


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_those_who_work_the_lagesbild_see_incidents_and_export(client, personas, world, role):
    client.force_login(personas[role])
    for name in RAW:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("situation:incident_detail", args=[world["own"].pk])).status_code == 200
    assert "Häng vid porten" in client.get(reverse("situation:table")).content.decode()
    assert client.get(reverse("situation:meeting_brief_docx", args=[world["meeting"].pk])).status_code == 200


def test_a_hidden_category_count_cannot_be_worked_back_from_the_total():
    summary = {
        "total": 20,
        "by_category": [
            {"category__name": "Skadegörelse", "n": 10},
            {"category__name": "Häng", "n": 7},
            {"category__name": "Brand", "n": 3},
        ],
        "by_place": [{"place__name": "Komarken", "n": 4}, {"place__name": "Torget", "n": 16}],
        "hot_rows": [],
        "weekday_hours": [{"day": "måndag", "values": [0.5, 6.0]}],
    }
    shown = protected_summary(summary, 5)
    counts = {r["category__name"]: r["n"] for r in shown["by_category"]}
    assert counts["Brand"] == "<5"
    # 20 − 10 − 7 would give the 3 back: the smallest shown part is hidden too
    assert counts["Häng"] == ".." and counts["Skadegörelse"] == 10
    assert [r["n"] for r in shown["by_place"]] == ["<5", 16]
    assert shown["weekday_hours"][0]["values"] == ["<5", 6.0]
    assert shown["total_text"] is None  # the total itself is large enough to show


def test_a_partner_cannot_hand_a_report_to_another_organisation(personas, world):
    incident = Incident.objects.get(pk=world["own"].pk)
    incident.source_organisation = world["foreign"].source_organisation
    with pytest.raises(SituationError, match="din egen organisation"):
        do_save_incident(
            incident,
            place=incident.place,
            lat=None,
            lon=None,
            description=incident.description,
            acting_user=personas["partner"],
        )
    assert Incident.objects.get(pk=incident.pk).source_organisation_id == personas["partner"].organisation_id
    # A coordinator may name any organisation.
    do_save_incident(
        incident,
        place=incident.place,
        lat=None,
        lon=None,
        description=incident.description,
        acting_user=personas["coordinator"],
    )
    assert (
        Incident.objects.get(pk=incident.pk).source_organisation_id == world["foreign"].source_organisation_id
    )
