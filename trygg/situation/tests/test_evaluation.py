"""The effect check compares an area with the rest of its own municipality, never another's."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from trygg.places.models import Place
from trygg.situation import evaluation
from trygg.situation.actions import LocationContext, apply_location
from trygg.situation.effect import REGRESSION_TO_THE_MEAN, windows
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


def _cell_at_distance(place: Place, distance: int) -> tuple[float, float]:
    """The centre (lat, lon) of an H3 r9 cell exactly `distance` steps from the place's cell."""
    import h3

    cell = h3.int_to_str(place.h3_r9)
    ring = sorted(h3.grid_ring(cell, distance))
    return h3.cell_to_latlng(ring[0])


def _incidents(make_incident, n: int, day: dt.date, category: str, **where) -> None:
    for i in range(n):
        make_incident(category, at(day, 8 + i % 12), **where)


def test_the_buffer_ring_is_counted_apart_and_left_out_of_the_control(
    world, make_incident, django_assert_num_queries
):
    area = world["area"]
    place = area.place
    w = windows(area.start, area.start + dt.timedelta(days=28), length_days=28)
    before_day, after_day = w.start - dt.timedelta(days=5), w.start + dt.timedelta(days=5)
    inner = set(evaluation.focus_area_cells(area))
    ring = evaluation.buffer_cells(area)
    assert ring and not inner & set(ring)
    assert (
        max(h3_distance(place.h3_r9, c) for c in ring) == evaluation.PLACE_RING_K + evaluation.BUFFER_RING_K
    )
    buffer_lat, buffer_lon = _cell_at_distance(place, evaluation.PLACE_RING_K + 1)
    far_lat, far_lon = _cell_at_distance(place, evaluation.PLACE_RING_K + evaluation.BUFFER_RING_K + 3)
    _incidents(make_incident, 3, before_day, "ungdomshang", lat=buffer_lat, lon=buffer_lon)
    _incidents(make_incident, 7, after_day, "ungdomshang", lat=buffer_lat, lon=buffer_lon)
    _incidents(make_incident, 4, before_day, "ungdomshang", lat=far_lat, lon=far_lon)
    _incidents(make_incident, 2, after_day, "ungdomshang", place=place)
    condition = evaluation.focus_area_condition(area)
    with django_assert_num_queries(1):
        counts = evaluation.effect_counts(condition, w, area.municipality_id, buffer=Q(h3_r9__in=ring))
    without = evaluation.effect_counts(condition, w, area.municipality_id)
    assert (counts["buffer_before"], counts["buffer_after"]) == (3, 7)
    assert counts["area_after"] == without["area_after"] >= 2
    # The buffer's incidents are in the plain control and not in the control beside a buffer.
    assert without["control_before"] - counts["control_before"] == 3
    assert without["control_after"] - counts["control_after"] == 7
    assert "buffer_before" not in without


def h3_distance(a: int, b: int) -> int:
    import h3

    return h3.grid_distance(h3.int_to_str(a), h3.int_to_str(b))


def test_an_area_chosen_for_high_counts_gets_the_regression_to_the_mean_warning(world, make_incident):
    area = world["area"]
    action = world["action"]
    today = area.start + dt.timedelta(days=40)
    w = windows(area.start, today, length_days=28)
    before_day, after_day = w.start - dt.timedelta(days=3), w.start + dt.timedelta(days=3)
    buffer_lat, buffer_lon = _cell_at_distance(area.place, evaluation.PLACE_RING_K + 2)
    far_lat, far_lon = _cell_at_distance(area.place, 12)
    _incidents(make_incident, 14, before_day, "ungdomshang", place=area.place)
    _incidents(make_incident, 4, after_day, "ungdomshang", place=area.place)
    _incidents(make_incident, 2, before_day, "ungdomshang", lat=buffer_lat, lon=buffer_lon)
    _incidents(make_incident, 5, after_day, "ungdomshang", lat=buffer_lat, lon=buffer_lon)
    _incidents(make_incident, 10, before_day, "ungdomshang", lat=far_lat, lon=far_lon)
    _incidents(make_incident, 10, after_day, "ungdomshang", lat=far_lat, lon=far_lon)
    result, _w = evaluation.action_effect(action, today)
    assert (result.buffer_before, result.buffer_after) == (2, 5)
    assert result.displacement is not None and result.displacement.wdq is not None
    assert REGRESSION_TO_THE_MEAN not in result.text and not result.warnings
    area.chosen_for_high_counts = True
    result, _w = evaluation.action_effect(action, today)
    assert REGRESSION_TO_THE_MEAN in result.text and result.warnings == (REGRESSION_TO_THE_MEAN,)
