"""The effect check compares an area with the rest of its own municipality, never another's."""

import datetime as dt

from django.utils import timezone

from trygg.places.models import Place
from trygg.situation.actions import LocationContext, apply_location
from trygg.situation.effect import windows
from trygg.situation.evaluation import effect_counts, focus_area_condition
from trygg.situation.models import Category, Incident
from trygg.situation.tests.conftest import at


def test_control_counts_ignore_another_municipalitys_incidents(world, ale):
    area = world["area"]
    today = timezone.localdate()
    w = windows(area.start, today + dt.timedelta(days=30), length_days=28)
    before = effect_counts(focus_area_condition(area), w, area.municipality_id)
    ale_place = Place.objects.filter(municipality=ale).first()
    ale_ctx = LocationContext.of(ale)
    for day in (w.before_start, w.start + dt.timedelta(days=1)):
        incident = Incident(
            municipality=ale, category=Category.objects.get(slug="skadegorelse"), occurred_from=at(day)
        )
        apply_location(incident, ale_ctx, place=ale_place, lat=None, lon=None)
        incident.save()
    assert effect_counts(focus_area_condition(area), w, area.municipality_id) == before
    assert effect_counts(focus_area_condition(area), w, ale.pk)["control_before"] == 1
