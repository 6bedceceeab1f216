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


def test_a_submission_costs_two_inserts_once_the_campaign_is_cached(
    resident, place, django_assert_num_queries
):
    data = resident.valid(place=str(place.pk), text="Ring mig på 070-123 45 67, lampan är trasig.")
    # The first post in this process reads the campaign: SELECT, SAVEPOINT (the test's transaction),
    # INSERT submission, INSERT audit, RELEASE.
    with django_assert_num_queries(5):
        assert resident.post(data).status_code == 302
    # Later ones take it from the process's copy (its version unchanged in the shared cache).
    with django_assert_num_queries(4):
        response = resident.post(data)
    assert response.status_code == 302
    submission = Submission.objects.latest("pk")
    assert "070" not in submission.text and submission.redacted_kinds
    assert response["Location"].endswith("?borttaget=1")
    audit = AuditEvent.objects.get(object_type="dialog.submission", object_id=str(submission.pk))
    assert audit.action == "submission.submit" and audit.actor is None
    assert audit.changes["text"] == [None, submission.text]
    assert audit.changes["place"] == [None, place.pk]


def test_a_closed_campaign_is_refused_at_once_by_a_process_holding_a_copy(
    resident, campaign, place, django_capture_on_commit_callbacks
):
    """Another server process closes the campaign: this process's copy is replaced because the version in
    the shared cache changed (simulated: the row is changed without this process's signal, and the
    version is written as the other process's commit would)."""
    import datetime as dt

    from django.core.cache import cache

    first, second, third = (resident.valid(place=str(place.pk)) for _ in range(3))
    assert resident.post(first).status_code == 302  # copy cached
    yesterday = campaign.starts - dt.timedelta(days=1)
    from trygg.dialog.models import Campaign

    Campaign.objects.filter(pk=campaign.pk).update(ends=yesterday, starts=yesterday)  # no signal here
    assert resident.post(second).status_code == 302  # still the old copy
    cache.set(snapshot.version_key(campaign.pk), "from-another-process", timeout=None)
    response = resident.post(third)
    assert response.status_code == 400 and "stängd" in response.content.decode()
    assert Submission.objects.count() == 2


def test_saving_a_campaign_writes_a_new_version_after_the_commit(
    campaign, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from trygg.dialog.actions import do_save_campaign

    before = cache.get(snapshot.version_key(campaign.pk))
    campaign.title = "Ny rubrik"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        do_save_campaign(campaign, acting_user=None)
    assert cache.get(snapshot.version_key(campaign.pk)) == before  # not before the commit
    for callback in callbacks:
        callback()
    after = cache.get(snapshot.version_key(campaign.pk))
    assert after and after != before


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
