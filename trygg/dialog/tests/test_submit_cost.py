"""The public submit path does no avoidable work: with the campaign's snapshot built (by showing the form),
a valid submission costs one query for the campaign and two inserts (the submission and its audit row), and
the personal data in its text is looked for once."""

from __future__ import annotations

import pytest

from trygg.accounts.models import AuditEvent
from trygg.dialog import snapshot
from trygg.dialog.models import Submission
from trygg.places.models import Place

pytestmark = pytest.mark.django_db


def test_a_submission_costs_the_campaign_and_two_inserts(resident, place, django_assert_num_queries):
    data = resident.valid(place=str(place.pk), text="Ring mig på 070-123 45 67, lampan är trasig.")
    # SELECT campaign, SAVEPOINT (the test's transaction), INSERT submission, INSERT audit, RELEASE
    with django_assert_num_queries(5):
        response = resident.post(data)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert "070" not in submission.text and submission.redacted_kinds
    assert response["Location"].endswith("?borttaget=1")
    audit = AuditEvent.objects.get(object_type="dialog.submission", object_id=str(submission.pk))
    assert audit.action == "submission.submit" and audit.actor is None
    assert audit.changes["text"] == [None, submission.text]
    assert audit.changes["place"] == [None, place.pk]


def test_personal_data_is_looked_for_once_per_text(resident, place, monkeypatch):
    import trygg.accounts.writes as writes

    calls = []
    real = writes.redact

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(writes, "redact", counting)
    data = resident.valid(place=str(place.pk), text="En text", location_text="Vid kiosken")
    assert resident.post(data).status_code == 302
    assert sorted(calls) == ["En text", "Vid kiosken"]


def test_the_snapshot_follows_changes_to_places_and_the_campaign(resident, place, campaign):
    first = snapshot.for_campaign(campaign)
    assert snapshot.for_campaign(campaign) is first  # cached per process
    assert place.pk in first.places_by_pk
    place.active = False
    place.save(update_fields=["active"])  # a saved place clears the snapshots
    assert place.pk not in snapshot.for_campaign(campaign).places_by_pk
    html = resident.client.get(resident.url).content.decode()
    assert f'value="{place.pk}"' not in html
    response = resident.post(resident.valid(place=str(place.pk)))
    assert response.status_code == 400 and not Submission.objects.exists()


def test_the_snapshot_expires(campaign, settings):
    settings.DIALOG_SNAPSHOT_SECONDS = 0
    first = snapshot.for_campaign(campaign)
    assert snapshot.for_campaign(campaign) is not first
    Place.objects.filter(municipality=campaign.municipality).update(active=False)  # no signal: the TTL
    assert snapshot.for_campaign(campaign).places == ()
