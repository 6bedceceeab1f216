"""The demo lägesbild: seeded, ~2 years, concentrated where the reference report says, fast, idempotent."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest

from trygg.accounts.models import AuditEvent
from trygg.demo import places as demo_places
from trygg.demo import situation as demo_situation
from trygg.situation.evaluation import action_effect
from trygg.situation.models import Action, CameraSite, FocusArea, Incident, Meeting

TODAY = dt.date(2024, 11, 20)


def load_demo_situation(municipality, today=TODAY) -> dict:
    summary = demo_situation.load(municipality, acting_user=None, today=today)
    return {"händelser": Incident.objects.filter(municipality=municipality).count(), "text": summary}


@pytest.fixture
def demo(municipality):
    demo_places.load(municipality, acting_user=None)
    started = time.perf_counter()
    summary = load_demo_situation(municipality)
    return summary, time.perf_counter() - started


def test_the_demo_has_two_years_of_incidents_loaded_quickly(demo):
    summary, seconds = demo
    assert 5000 <= summary["händelser"] <= 10000
    assert seconds < 15  # one bulk action; a few seconds on a shared CI machine
    # one audit row for the batch, not one per incident
    batch = AuditEvent.objects.get(action="incident.bulk_create")
    assert batch.changes["incidents"] == [None, summary["händelser"]]
    assert summary["text"].startswith(f"{summary['händelser']} händelser")
    first = Incident.objects.order_by("occurred_from").first().occurred_from.date()
    last = Incident.objects.order_by("-occurred_from").first().occurred_from.date()
    assert (TODAY - first).days >= 720 and last <= TODAY
    assert not Incident.objects.exclude(origin=Incident.Origin.DEMO).exists()
    assert Incident.objects.mappable().count() == summary["händelser"]


def test_incidents_concentrate_at_the_reports_focus_places(demo):
    by_place = Counter(Incident.objects.exclude(place=None).values_list("place__name", flat=True))
    top = [name for name, _ in by_place.most_common(4)]
    for name in ("Vita fläcken", "Komarken", "Kode busstation", "Munkegärdeskolan"):
        assert name in top


def test_seasonal_peaks_at_new_year_and_in_summer(demo):
    fireworks = Incident.objects.filter(category__slug="fyrverkerier")
    assert fireworks.count() > 50
    months = Counter(d.month for d in fireworks.values_list("occurred_from", flat=True))
    assert months[12] + months[1] >= 0.95 * fireworks.count()
    motor = Counter(
        Incident.objects.filter(category__slug="motorburna").values_list("occurred_from__month", flat=True)
    )
    summer = sum(motor[m] for m in (5, 6, 7, 8)) / 4
    winter = sum(motor[m] for m in (11, 12, 1, 2)) / 4
    assert summer > 2.5 * winter


def test_meetings_focus_areas_actions_and_cameras_come_from_the_report(demo):
    assert Meeting.objects.filter(kind=Meeting.Kind.LST_BIWEEKLY).count() == 10
    assert Meeting.objects.filter(kind=Meeting.Kind.AGENCY_MONTHLY).count() == 3
    assert {f.place.name for f in FocusArea.objects.select_related("place")} >= {
        "Vita fläcken",
        "Komarken",
        "Kode busstation",
        "Munkegärdeskolan",
    }
    assert set(CameraSite.objects.values_list("place__name", flat=True)) == {
        "Vita fläcken",
        "Skarpe Nord",
        "Nordmannatorget",
        "Kongahällacenter/Resecentrum",
    }
    assert all(c.permit_status == "supervision" for c in CameraSite.objects.all())
    assert Action.objects.overdue(TODAY).exists()
    kinds = set(Action.objects.values_list("kind", flat=True))
    assert {"guards", "adults", "lighting", "pruning", "information", "field_work", "cameras"} <= kinds


def test_the_built_in_effect_at_vita_flacken_is_found(demo):
    action = Action.objects.get(title__startswith="Kontinuerlig närvaro")
    effect, _ = action_effect(action, TODAY)
    assert effect.verdict == "decrease" and effect.ci_high < 1


def test_the_same_seed_gives_the_same_data_and_reloading_replaces_it(demo):
    summary, _ = demo
    fingerprint = list(
        Incident.objects.order_by("occurred_from", "h3_r9").values_list("occurred_from", "h3_r9")[:50]
    )
    again = load_demo_situation(Meeting.objects.first().municipality)
    assert again["händelser"] == summary["händelser"] == Incident.objects.count()
    assert (
        list(Incident.objects.order_by("occurred_from", "h3_r9").values_list("occurred_from", "h3_r9")[:50])
        == fingerprint
    )
    assert Meeting.objects.count() == 13


def test_ale_gets_a_small_lagesbild_of_its_own(demo, other_municipality):
    demo_places.load(other_municipality, acting_user=None)
    load_demo_situation(other_municipality)
    ale = Incident.objects.filter(municipality=other_municipality)
    assert 100 <= ale.count() <= 1500
    assert set(ale.exclude(place=None).values_list("place__municipality", flat=True)) == {
        other_municipality.pk
    }
    assert not Meeting.objects.filter(municipality=other_municipality).exists()
    kungalv = Incident.objects.exclude(municipality=other_municipality)
    assert not kungalv.filter(place__municipality=other_municipality).exists()


def test_the_demo_writes_only_through_the_actions(demo):
    # meetings, focus areas, actions and cameras: one audit row each, created by the demo loader
    for action, model in [
        ("meeting.create", Meeting),
        ("focusarea.create", FocusArea),
        ("action.create", Action),
        ("camerasite.create", CameraSite),
    ]:
        assert AuditEvent.objects.filter(action=action).count() == model.objects.count(), action
