"""A valid-checksum personnummer sent through every route that writes a dialog free-text field (the public
form, the staff campaign form, the moderator's redaction) never reaches the database or the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.accounts.models import AuditEvent
from trygg.dialog.models import Campaign, Submission

from .conftest import submit_direct

pytestmark = pytest.mark.django_db
PNR = "19811218-9876"


def assert_nowhere() -> None:
    for model in (Campaign, Submission):
        for field in model.FREE_TEXT_FIELDS:
            assert not model.objects.filter(**{f"{field}__contains": "9876"}).exists(), field
    assert not AuditEvent.objects.filter(changes__icontains="9876").exists()


@pytest.mark.parametrize("field", ["text", "location_text"])
def test_public_form(resident, place, field):
    data = resident.valid(place=str(place.pk))
    data[field] = f"Kontakta {PNR} idag"
    assert resident.post(data).status_code == 302
    assert Submission.objects.filter(**{f"{field}__contains": "[borttaget: personnummer]"}).exists()
    assert_nowhere()


@pytest.mark.parametrize("field", ["title", "question"])
def test_campaign_form(personas, login, kungalv, field):
    client = login(personas["coordinator"])
    data = {
        "title": "Trygg stadskärna",
        "question": "Var känner du dig otrygg?",
        "starts": "2024-05-01",
        "ends": "2024-06-01",
        "categories": ["belysning"],
        field: f"Fråga {PNR}",
    }
    response = client.post(reverse("dialog:campaign_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_nowhere()


def test_moderator_redaction(personas, login, campaign, place):
    submission = submit_direct(campaign, place=place, text="Originaltext", status="pending")
    client = login(personas["coordinator"])
    response = client.post(reverse("dialog:submission_redact", args=[submission.pk]), {"text": f"Ny {PNR}"})
    assert response.status_code == 302
    assert "[borttaget: personnummer]" in Submission.objects.get(pk=submission.pk).text
    assert_nowhere()
    assert not AuditEvent.objects.filter(changes__icontains="Originaltext").exists()
