"""Geo helpers (trygg.lib.geo): H3 ints, SWEREF 99 TM, the municipality boundary."""

import json
import math
from collections import Counter
from pathlib import Path

import h3
import numpy as np
import pytest
import shapely
from pyproj import Geod

from trygg.lib import geo


def h3_cell(lat: float, lon: float, resolution: int) -> int:
    """The H3 cell as the h3 library computes it (an independent oracle for the stored columns)."""
    return h3.str_to_int(h3.latlng_to_cell(lat, lon, resolution))


SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
KUNGALV_CENTRE = (57.8707, 11.9806)
GOTEBORG = (57.7089, 11.9746)


@pytest.fixture(scope="module")
def kungalv() -> geo.Boundary:
    data = json.loads((SHARED_DATA / "swedish_municipalities.geojson").read_text(encoding="utf-8"))
    return geo.Boundary.from_geojson(data, name="Kungälvs kommun", feature_id="1482")


# --- boundary ------------------------------------------------------------------------------------


def test_kungalv_centre_is_inside_and_goteborg_is_outside(kungalv):
    assert kungalv.contains(*KUNGALV_CENTRE)
    assert not kungalv.contains(*GOTEBORG)


def test_require_inside_returns_the_point_or_names_the_municipality_in_swedish(kungalv):
    assert kungalv.require_inside(*KUNGALV_CENTRE) == KUNGALV_CENTRE
    with pytest.raises(geo.OutsideBoundaryError) as info:
        kungalv.require_inside(*GOTEBORG)
    assert str(info.value) == "Punkten (57,7089, 11,9746) ligger utanför Kungälvs kommun."
    assert (info.value.lat, info.value.lon) == GOTEBORG
    with pytest.raises(geo.OutsideBoundaryError, match="utanför kommunen"):
        kungalv.require_inside(*GOTEBORG, name="kommunen")


@pytest.mark.parametrize(
    "lat, lon", [(float("nan"), 11.9), (91.0, 11.9), (57.8, 181.0), ("x", 11.9), (None, 1)]
)
def test_invalid_coordinates_are_rejected_with_a_swedish_message(kungalv, lat, lon):
    with pytest.raises(geo.InvalidCoordinatesError, match="Koordinaterna"):
        kungalv.require_inside(lat, lon)


def test_boundary_bounds_hold_the_centre_and_match_the_polygon(kungalv):
    b = kungalv.bounds
    assert b.contains(*KUNGALV_CENTRE)
    assert b.south < b.north and b.west < b.east
    west, south, east, north = kungalv.geometry.bounds
    assert b.as_leaflet() == [[south, west], [north, east]]


def test_contains_many_agrees_with_contains(kungalv):
    rng = np.random.default_rng(7)
    b = kungalv.bounds.padded(0.1)
    lats = rng.uniform(b.south, b.north, 300)
    lons = rng.uniform(b.west, b.east, 300)
    mask = kungalv.contains_many(lats, lons)
    assert mask.tolist() == [kungalv.contains(a, o) for a, o in zip(lats, lons, strict=True)]
    assert 0 < mask.sum() < 300


def test_every_point_inside_the_boundary_lies_in_one_of_its_cells(kungalv):
    rng = np.random.default_rng(11)
    b = kungalv.bounds
    lats = rng.uniform(b.south, b.north, 4000)
    lons = rng.uniform(b.west, b.east, 4000)
    inside = kungalv.contains_many(lats, lons)
    for res in (7, 9):
        cells = kungalv.cells(res)
        assert np.all(np.diff(cells) > 0)
        point_cells = geo.cells_for_points(lats[inside], lons[inside], res)
        assert np.isin(point_cells, cells).all()
    # and the set is not just the bounding box: far-away cells are absent
    assert h3_cell(*GOTEBORG, 7) not in set(kungalv.cells(7).tolist())


def test_feature_lookup_failures_are_clear(kungalv):
    data = {"type": "FeatureCollection", "features": []}
    with pytest.raises(geo.GeoError, match="Området 9999 finns inte"):
        geo.Boundary.from_geojson(data, name="X", feature_id="9999")
    with pytest.raises(geo.GeoError, match="feature_id"):
        geo.Boundary.from_geojson(data, name="X")
    with pytest.raises(geo.GeoError, match="polygon"):
        geo.Boundary({"type": "Point", "coordinates": [11.9, 57.8]}, name="X")
    with pytest.raises(geo.GeoError, match="Ogiltig GeoJSON"):
        geo.Boundary({"type": "Polygon"}, name="X")


def test_a_self_intersecting_polygon_is_repaired_not_rejected():
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
    boundary = geo.Boundary(bowtie, name="X")
    assert boundary.contains(1.0, 0.5)  # lat 1.0, lon 0.5: in the left triangle
    assert boundary.contains(1.0, 1.5)  # and the right one
    assert not boundary.contains(0.3, 1.0)  # the notch between them


# --- H3 ------------------------------------------------------------------------------------------


def test_cells_for_point_gives_each_resolution_as_a_signed_64_bit_int():
    cells = geo.cells_for_point(*KUNGALV_CENTRE)
    assert sorted(cells) == list(geo.H3_RESOLUTIONS) == [7, 8, 9]
    for res, cell in cells.items():
        assert isinstance(cell, int)
        assert 0 < cell <= np.iinfo(np.int64).max
        assert h3.get_resolution(h3.int_to_str(cell)) == res
        assert geo.cell_resolution(cell) == res
    # coarser cells are the parents of the finer one
    assert h3.cell_to_parent(h3.int_to_str(cells[9]), 7) == h3.int_to_str(cells[7])


def test_no_h3_cell_id_reaches_the_sign_bit():
    # The largest ids come from the highest base cells at the finest resolution.
    worst = 0
    for base in h3.get_res0_cells():
        for child in h3.cell_to_children(base, 1):
            worst = max(worst, h3.str_to_int(h3.cell_to_center_child(child, 15)))
    assert 0 < worst < 2**63
    assert np.array([worst], dtype=np.int64)[0] == worst


def test_h3_string_round_trip():
    cell = geo.cells_for_point(*KUNGALV_CENTRE)[9]
    text = geo.cell_to_h3(cell)
    assert text == h3.latlng_to_cell(*KUNGALV_CENTRE, 9)
    assert geo.h3_to_cell(text) == cell
    assert geo.h3_to_cell(text.upper()) == cell
    with pytest.raises(geo.GeoError):
        geo.h3_to_cell("not-a-cell")
    with pytest.raises(geo.GeoError):
        geo.cell_to_h3(12345)
    assert not geo.is_valid_cell(-1)


def test_cell_boundary_is_a_closed_lon_lat_ring_around_the_point():
    cell = geo.cells_for_point(*KUNGALV_CENTRE)[8]
    polygon = geo.cell_boundary_geojson(cell)
    ring = polygon["coordinates"][0]
    assert polygon["type"] == "Polygon"
    assert len(ring) == 7 and ring[0] == ring[-1]
    lat, lon = KUNGALV_CENTRE
    assert shapely.geometry.shape(polygon).contains(shapely.Point(lon, lat))
    assert h3.cell_to_latlng(h3.int_to_str(cell)) == pytest.approx(KUNGALV_CENTRE, abs=0.01)


def test_k_ring_sizes_and_membership():
    cell = geo.cells_for_point(*KUNGALV_CENTRE)[9]
    assert len(geo.k_ring(cell, 0)) == 1
    ring1 = geo.k_ring(cell, 1)
    assert len(ring1) == 7 and cell in ring1
    assert len(geo.k_ring(cell, 2)) == 19
    assert all(h3.grid_distance(geo.cell_to_h3(cell), geo.cell_to_h3(c)) <= 1 for c in ring1)
    with pytest.raises(geo.GeoError):
        geo.k_ring(cell, -1)


def test_cells_for_points_matches_the_single_point_version_and_rejects_bad_rows():
    lats = np.array([57.87, 57.9, 58.0])
    lons = np.array([11.98, 11.6, 12.1])
    cells = geo.cells_for_points(lats, lons, 9)
    assert cells.dtype == np.int64
    assert cells.tolist() == [h3_cell(a, o, 9) for a, o in zip(lats, lons, strict=True)]
    with pytest.raises(geo.InvalidCoordinatesError):
        geo.cells_for_points([57.0, np.nan], [11.0, 12.0], 9)


# --- SWEREF 99 TM --------------------------------------------------------------------------------


def test_the_central_meridian_maps_to_false_easting_500000():
    for lat in (55.5, 57.87, 63.0, 68.5):
        n, e = geo.wgs84_to_sweref99tm(lat, 15.0)
        assert e == pytest.approx(500_000.0, abs=1e-6)
        assert n > 6_000_000


def test_northing_on_the_central_meridian_is_the_scaled_meridian_arc():
    # Independent of the projection code: the GRS80 meridian arc from the equator, by geodesic, times
    # the SWEREF 99 TM scale factor 0.9996 (false northing 0).
    geod = Geod(ellps="GRS80")
    for lat in (55.0, 57.87, 62.0, 69.0):
        _, _, arc = geod.inv(15.0, 0.0, 15.0, lat)
        n, _ = geo.wgs84_to_sweref99tm(lat, 15.0)
        assert n == pytest.approx(0.9996 * arc, abs=0.001)


def test_kungalv_lies_west_of_the_central_meridian_in_a_sane_range():
    n, e = geo.wgs84_to_sweref99tm(*KUNGALV_CENTRE)
    assert 6_400_000 < n < 6_440_000
    assert 300_000 < e < 340_000  # about 170 km west of 15°E


def test_sweref_round_trip_is_within_1e_7_degrees():
    rng = np.random.default_rng(3)
    for lat, lon in zip(rng.uniform(55.3, 69.0, 200), rng.uniform(11.0, 24.1, 200), strict=True):
        n, e = geo.wgs84_to_sweref99tm(lat, lon)
        lat2, lon2 = geo.sweref99tm_to_wgs84(n, e)
        assert math.isclose(lat2, lat, abs_tol=1e-7) and math.isclose(lon2, lon, abs_tol=1e-7)


def test_sweref_input_order_is_northing_then_easting():
    lat, lon = geo.sweref99tm_to_wgs84(6_414_000, 319_000)
    assert 57.7 < lat < 57.9 and 11.9 < lon < 12.0
    with pytest.raises(geo.InvalidCoordinatesError):
        geo.sweref99tm_to_wgs84(float("inf"), 319_000)


def test_counts_aggregate_into_parent_cells():
    rng = np.random.default_rng(7)
    lats, lons = 57.87 + rng.normal(0, 0.02, 300), 11.98 + rng.normal(0, 0.03, 300)
    fine = geo.cells_for_points(lats, lons, 9)
    cells, inverse = np.unique(fine, return_inverse=True)
    counts = np.bincount(inverse)
    parents, sums = geo.aggregate_to_parents(cells, counts, 7)
    expected = Counter(h3.str_to_int(h3.cell_to_parent(h3.int_to_str(int(c)), 7)) for c in fine)
    assert dict(zip(parents.tolist(), sums.tolist(), strict=True)) == dict(expected)
    assert list(parents) == sorted(parents) and sums.sum() == 300
    empty = geo.aggregate_to_parents(np.array([], dtype=np.int64), np.array([], dtype=np.int64), 8)
    assert len(empty[0]) == 0
