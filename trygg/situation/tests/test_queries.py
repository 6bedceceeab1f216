"""Counts per H3 cell by SQL GROUP BY, the filter, the hotspot cache and the map payload."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

import h3.api.basic_int as h3
import numpy as np
import pytest

from trygg.lib.geo import cell_resolution
from trygg.places.models import Municipality, Place
from trygg.situation import hotspots
from trygg.situation.models import Category, Incident
from trygg.situation.queries import (
    IncidentFilter,
    counts_per_cell,
    data_version,
    hotspot_result,
    map_payload,
    weekday_hour_table,
)

from .conftest import at

_MAY = IncidentFilter(start=dt.date(2024, 5, 1), end=dt.date(2024, 5, 31))


def kungalv_ids():
    return list(Municipality.objects.filter(code="1482").values_list("pk", flat=True))


class _May:
    """May 2024 in Kungälv (a filter matches only the municipalities it is scoped to)."""

    def __getattr__(self, name):
        return getattr(_MAY.within(kungalv_ids()), name)


MAY = _May()


@pytest.fixture
def cluster(make_incident):
    """30 incidents at Vita fläcken, 3 at each of five other places, 2 police events without a location."""
    for i in range(30):
        make_incident("motorburna", at(dt.date(2024, 5, 1 + i % 28), 22), place="Vita fläcken")
    for name in ["Kode busstation", "Skarpe Nord", "Rollsbo", "Ytterbyskolan", "Marstrands hamn"]:
        for day in (3, 10, 17):
            make_incident("skadegorelse", at(dt.date(2024, 5, day), 2), place=name)
    for day in (4, 5):
        incident = Incident(
            municipality=Municipality.objects.get(code="1482"),
            category=Category.objects.get(slug="ovrigt"),
            occurred_from=at(dt.date(2024, 5, day)),
            location_precision=Incident.Precision.MUNICIPALITY,
            origin="polisen",
        )
        incident.save()


def test_counts_per_cell_is_a_group_by_matching_a_python_count(cluster, django_assert_num_queries):
    expected = Counter(Incident.objects.mappable().values_list("h3_r8", flat=True))
    incidents = MAY.incidents()
    with django_assert_num_queries(1):
        cells, counts = counts_per_cell(incidents, 8)
    assert dict(zip(cells.tolist(), counts.tolist(), strict=True)) == dict(expected)
    assert counts.sum() == 45  # the two police events have no cell
    assert list(cells) == sorted(cells)


def test_the_filter_selects_by_category_and_overlapping_window(cluster, make_incident):
    motor = Category.objects.get(slug="motorburna").pk
    assert (
        IncidentFilter(start=MAY.start, end=MAY.end, categories=(motor,), municipalities=tuple(kungalv_ids()))
        .incidents()
        .count()
        == 30
    )
    # A window that starts in April and ends in May overlaps May; one that ends in April does not.
    make_incident("skadegorelse", at("2024-04-30", 22), place="Komarken", occurred_to=at("2024-05-01", 6))
    make_incident("skadegorelse", at("2024-04-29", 22), place="Komarken", occurred_to=at("2024-04-30", 6))
    assert MAY.incidents().filter(place__name="Komarken").count() == 1
    june = IncidentFilter(start=dt.date(2024, 6, 1), end=dt.date(2024, 6, 30)).within(kungalv_ids())
    assert june.incidents().count() == 0


def test_the_cluster_is_a_hot_spot_and_the_result_is_cached_until_data_changes(cluster, make_incident):
    municipality = Municipality.objects.get(code="1482")
    hotspots.hotspot_cache.invalidate()
    result = hotspot_result(_MAY, municipality)
    vita = Place.objects.get(name="Vita fläcken")
    index = list(result.cells).index(vita.cell(cell_resolution(int(result.cells[0]))))
    assert result.classes[index] == hotspots.HOT_99
    assert result.counts[index] == 30
    hits = hotspots.hotspot_cache.hits
    assert hotspot_result(_MAY, municipality) is result
    assert hotspots.hotspot_cache.hits == hits + 1
    make_incident("motorburna", at("2024-05-20", 23), place="Vita fläcken")
    fresh = hotspot_result(_MAY, municipality)
    assert fresh is not result and fresh.counts[list(fresh.cells).index(result.cells[index])] == 31


def test_the_resolution_is_chosen_from_the_data_unless_the_filter_fixes_it(cluster):
    """Automatic: the finest scale with enough incidents per neighbourhood (a fixed rule); a fixed
    resolution is kept and only k is chosen."""
    from trygg.places.boundary import municipality_cells
    from trygg.situation.hotspot_inference import SCALES, choose_scale
    from trygg.situation.queries import hotspot_analysis

    municipality = Municipality.objects.get(code="1482")
    hotspots.hotspot_cache.invalidate()
    result, scale = hotspot_analysis(_MAY, municipality)
    n = int(result.counts.sum())
    expected = choose_scale(
        n, {r: len(municipality_cells(municipality, r)) for r in (7, 8, 9)}, scales=SCALES
    )
    assert (scale.resolution, scale.k) == (expected.resolution, expected.k)
    assert cell_resolution(int(result.cells[0])) == scale.resolution and result.k == scale.k
    for fixed in (7, 9):
        result, scale = hotspot_analysis(replace(_MAY, resolution=fixed), municipality)
        assert scale.resolution == fixed == cell_resolution(int(result.cells[0]))
        assert int(result.counts.sum()) == n  # the same incidents, counted in other cells


def test_the_map_payload_keeps_location_less_events_off_the_map(cluster):
    municipality = Municipality.objects.get(code="1482")
    payload = map_payload(_MAY, municipality, Place.objects.select_related("district"))
    assert payload["meta"]["total"] == 47
    assert payload["meta"]["on_map"] == 45 and payload["meta"]["not_on_map"] == 2
    assert "incidents" not in payload["layers"]  # they come per view (map_view)
    spots = payload["layers"]["hotspots"]
    hot = [i for i, cls in enumerate(spots["class"]) if cls == "hot_99"]
    assert hot and spots["labels"]["hot_99"].startswith("Fler händelser än vanligt")
    # the compact ring decodes (running sum, 1e-5 degrees) to the cell's own hexagon
    cell = h3.str_to_int(spots["h3"][hot[0]])
    decoded = np.cumsum(np.reshape(spots["ring"][hot[0]], (-1, 2)), axis=0) / 1e5
    assert np.allclose(decoded, h3.cell_to_boundary(cell), atol=1e-5)
    assert payload["layers"]["boundary"]["features"][0]["properties"]["code"] == "1482"


def test_weekday_hour_table_spreads_windows_and_sums_to_the_count(kungalv, make_incident):
    make_incident(
        "skadegorelse", at("2024-05-06", 0), place="Komarken", occurred_to=at("2024-05-06", 6)
    )  # Monday
    make_incident("ungdomshang", at("2024-05-11", 22), place="Komarken")  # Saturday
    rows = weekday_hour_table(Incident.objects.all())
    assert rows[0]["day"] == "måndag" and rows[0]["values"][:3] == [0.5, 0.5, 0.0]
    assert rows[5]["values"][7] == 1.0
    assert sum(sum(r["values"]) for r in rows) == pytest.approx(2.0)


def test_a_filter_without_municipalities_matches_nothing(cluster):
    assert _MAY.incidents().count() == 0
    assert MAY.incidents().count() == 47


def test_the_data_version_changes_with_every_kind_of_incident_write_in_that_municipality_only(
    kungalv, ale, make_incident, django_assert_num_queries
):
    """Database triggers keep it, so every path counts: a save, QuerySet.update (which leaves updated_at
    alone, as the retention job does), bulk_create and QuerySet.delete. Reading it is one query."""
    Incident.objects.create(
        municipality=ale,
        category=Category.objects.get(slug="ovrigt"),
        occurred_from=at("2024-05-02"),
        location_precision=Incident.Precision.MUNICIPALITY,
        origin="polisen",
    )
    seen = [data_version([kungalv])]
    other = data_version([ale])
    assert other  # Ale has a version of its own

    def changed() -> bool:
        with django_assert_num_queries(1):
            now = data_version([kungalv])
        fresh = now not in seen
        seen.append(now)
        return fresh

    incident = make_incident("brand", at("2024-05-03", 22), place="Komarken")
    assert changed()
    Incident.objects.filter(pk=incident.pk).update(description="")
    assert changed()
    Incident.objects.bulk_create([Incident(**_copy(incident)) for _ in range(3)])
    assert changed()
    assert not changed()  # reading changes nothing
    Incident.objects.filter(municipality=kungalv).delete()
    assert changed()
    assert data_version([ale]) == other  # Ale's caches stay valid
    assert data_version([kungalv, ale]) == data_version([kungalv]) + other


def _copy(incident: Incident) -> dict:
    skip = {"id", "created_at", "updated_at"}
    return {
        f.attname: getattr(incident, f.attname)
        for f in Incident._meta.concrete_fields
        if f.attname not in skip
    }
