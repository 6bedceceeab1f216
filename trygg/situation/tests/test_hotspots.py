"""Hotspot statistics (trygg.situation.hotspots): Gi* against esda, BH classes, the result cache."""

import datetime as dt
import warnings

import esda
import h3
import libpysal
import numpy as np
import pytest
from scipy import stats

from trygg.situation import hotspots as hs

CENTRE = h3.str_to_int(h3.latlng_to_cell(57.8707, 11.9806, 9))


def random_cells(n: int, seed: int, res: int = 9) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lat = np.concatenate([rng.normal(57.8707, 0.004, n // 2), rng.normal(57.88, 0.01, n - n // 2)])
    lon = np.concatenate([rng.normal(11.9806, 0.008, n // 2), rng.normal(11.95, 0.02, n - n // 2)])
    return np.array([h3.str_to_int(h3.latlng_to_cell(a, b, res)) for a, b in zip(lat, lon, strict=True)])


def esda_z(result: hs.GiStarResult, k: int) -> np.ndarray:
    """esda's G_Local on the same cells, with a libpysal W built straight from h3.grid_disk."""
    index = {int(c): i for i, c in enumerate(result.cells)}
    neighbours = {
        i: [
            index[h3.str_to_int(d)]
            for d in h3.grid_disk(h3.int_to_str(int(c)), k)
            if h3.str_to_int(d) in index and h3.str_to_int(d) != int(c)
        ]
        for i, c in enumerate(result.cells)
    }
    w = libpysal.weights.W(neighbours, silence_warnings=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = esda.G_Local(result.counts, w, transform="B", star=True, permutations=0)
    if result.inference == "normal":  # esda's p_norm is one-sided
        np.testing.assert_allclose(result.p, 2 * g.p_norm, rtol=0, atol=1e-12)
    return g.Zs


# --- Gi* against esda ----------------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 2])
def test_gi_star_z_scores_equal_esda_g_local_star(k):
    cells, counts = hs.counts_per_cell(random_cells(4000, seed=42))
    result = hs.gi_star(cells, counts, k=k)
    assert len(result) > len(cells)  # zero-count ring cells were added
    z_esda = esda_z(result, k)
    normal = hs.gi_star(cells, counts, k=k, inference="normal")
    np.testing.assert_array_equal(normal.z, result.z)
    esda_z(normal, k)  # p-values of the normal path equal esda's p_norm
    np.testing.assert_allclose(result.z, z_esda, rtol=0, atol=1e-9)
    assert np.abs(result.z).max() > 3  # the example has real hot spots, not only noise


def test_gi_star_equals_esda_on_an_explicit_study_area():
    cells, counts = hs.counts_per_cell(random_cells(1500, seed=7))
    area = np.array(sorted(h3.str_to_int(c) for c in h3.grid_disk(h3.int_to_str(CENTRE), 12)))
    result = hs.gi_star(cells, counts, k=1, study_area=area)
    assert set(area.tolist()) <= set(result.cells.tolist())
    assert set(cells.tolist()) <= set(result.cells.tolist())  # incidents outside the area are kept
    np.testing.assert_allclose(result.z, esda_z(result, 1), rtol=0, atol=1e-9)
    assert result.counts.sum() == counts.sum()


def test_neighbourhood_weights_are_the_k_ring_inside_the_study_area_including_self():
    area = np.array(sorted(h3.str_to_int(c) for c in h3.grid_disk(h3.int_to_str(CENTRE), 3)))
    nb = hs.neighbourhood(area, 1)
    dense = nb.matrix.toarray()
    for i, a in enumerate(area):
        for j, b in enumerate(area):
            distance = h3.grid_distance(h3.int_to_str(int(a)), h3.int_to_str(int(b)))
            assert dense[i, j] == (1.0 if distance <= 1 else 0.0)
    centre = int(np.searchsorted(area, CENTRE))
    assert nb.n_neighbours[centre] == 7
    assert nb.n_neighbours.min() == 4  # corner cells of the hexagonal area: self + 3
    assert hs.neighbourhood(area, 1) is nb  # built once per (cell set, k)


def test_the_default_study_area_is_occupied_cells_plus_their_ring_with_zeros():
    result = hs.gi_star(np.array([CENTRE]), np.array([5.0]), k=1)
    ring = sorted(h3.str_to_int(c) for c in h3.grid_disk(h3.int_to_str(CENTRE), 1))
    assert result.cells.tolist() == ring
    assert result.counts.sum() == 5.0 and (result.counts > 0).sum() == 1
    assert hs.study_area_cells(np.array([CENTRE]), 1).tolist() == ring


# --- hot and cold spots on a constructed map -----------------------------------------------------


def disk(cell: int, k: int) -> list[int]:
    return [h3.str_to_int(c) for c in h3.grid_disk(h3.int_to_str(cell), k)]


def test_cold_and_hot_spots_are_found_where_they_were_built():
    area = np.array(sorted(disk(CENTRE, 8)))
    counts = {c: 5.0 for c in area.tolist()}
    hot_centre = h3.str_to_int(h3.latlng_to_cell(57.8707 + 0.006, 11.9806, 9))
    cold_centre = h3.str_to_int(h3.latlng_to_cell(57.8707 - 0.006, 11.9806, 9))
    for c in disk(cold_centre, 2):
        counts[c] = 0.0
    for c in disk(hot_centre, 1):
        counts[c] = 30.0
    cells = np.array(list(counts), dtype=np.int64)
    result = hs.gi_star(cells, np.array(list(counts.values())), k=1, study_area=area)
    by_cell = dict(zip(result.cells.tolist(), result.classes.tolist(), strict=True))
    z = dict(zip(result.cells.tolist(), result.z.tolist(), strict=True))
    assert by_cell[hot_centre] == "hot_99"
    assert by_cell[cold_centre].startswith("cold_")
    assert z[cold_centre] < 0 < z[hot_centre]
    far = [
        c
        for c in area.tolist()
        if h3.grid_distance(h3.int_to_str(c), h3.int_to_str(hot_centre)) > 3
        and h3.grid_distance(h3.int_to_str(c), h3.int_to_str(cold_centre)) > 4
    ]
    assert far and all(by_cell[c] == "not_significant" for c in far)
    assert result.class_counts()["not_significant"] == len(far) + sum(
        1 for c in area.tolist() if c not in far and by_cell[c] == "not_significant"
    )
    rows = result.rows(only_significant=True)
    assert rows[0]["cell"] in disk(hot_centre, 0) + disk(hot_centre, 1)
    assert rows[0]["h3"] == h3.int_to_str(rows[0]["cell"])


def test_equal_counts_everywhere_give_no_hot_spots():
    area = np.array(sorted(disk(CENTRE, 4)))
    result = hs.gi_star(area, np.full(area.size, 3.0), k=1, study_area=area)
    assert np.all(result.z == 0) and np.all(result.p == 1)
    assert set(result.classes.tolist()) == {"not_significant"}


@pytest.mark.parametrize(
    "cells, counts, message",
    [
        ([CENTRE, CENTRE], [1, 2], "unique"),
        ([CENTRE], [-1], "non-negative"),
        ([CENTRE], [1, 2], "same length"),
        ([CENTRE, h3.str_to_int(h3.latlng_to_cell(57.87, 11.98, 8))], [1, 1], "resolutions"),
        ([12345], [1], "valid H3"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(cells, counts, message):
    with pytest.raises(ValueError, match=message):
        hs.gi_star(np.array(cells, dtype=np.int64), np.array(counts, dtype=float))


def test_counts_per_cell_counts_each_cell():
    cells, counts = hs.counts_per_cell(np.array([5, 3, 5, 5, 9, 3], dtype=np.int64))
    assert cells.tolist() == [3, 5, 9] and counts.tolist() == [2, 3, 1]


# --- Benjamini-Hochberg classes ------------------------------------------------------------------


def test_fdr_classes_on_a_hand_checked_example():
    # m = 10 sorted p-values; BH threshold for rank k at level q is k*q/10.
    #  rank:      1       2      3      4      5      6     7    8    9    10
    p = np.array([0.0005, 0.004, 0.012, 0.045, 0.048, 0.07, 0.2, 0.5, 0.8, 0.95])
    # q=0.01: thresholds .001 .002 .003 ...  -> only p(1)=.0005 passes          -> k=1
    # q=0.05: thresholds .005 .010 .015 .020 .025 ... p(3)=.012 ≤ .015, p(4..)=no -> k=3
    # q=0.10: thresholds .01 .02 .03 .04 .05 .06 ... p(4)=.045 > .04 but p(5)=.048 ≤ .05,
    #         step-up rejects all up to rank 5, including p(4)                   -> k=5
    z = np.array([4.0, -3.0, 2.5, -2.0, 2.0, 1.8, -1.2, 0.6, 0.2, -0.1])
    expected = ["hot_99", "cold_95", "hot_95", "cold_90", "hot_90"] + ["not_significant"] * 5
    assert hs.fdr_classes(z, p).tolist() == expected
    # the order of the cells does not matter
    perm = np.random.default_rng(0).permutation(10)
    assert hs.fdr_classes(z[perm], p[perm]).tolist() == [expected[i] for i in perm]
    # alpha=0.05 leaves out the 90 % classes
    assert hs.fdr_classes(z, p, alpha=0.05).tolist() == expected[:3] + ["not_significant"] * 7


def test_bh_rejections_match_scipy_adjusted_p_values():
    rng = np.random.default_rng(5)
    p = np.concatenate([rng.uniform(0, 1, 300), rng.uniform(0, 0.002, 40)])
    adjusted = stats.false_discovery_control(p, method="bh")
    for q in (0.01, 0.05, 0.10):
        np.testing.assert_array_equal(hs.bh_reject(p, q), adjusted <= q)


# --- result cache --------------------------------------------------------------------------------


def test_cache_computes_once_per_key_and_filter_order_does_not_matter():
    cache = hs.ResultCache(maxsize=2)
    calls = []
    key_a = hs.cache_key(
        (dt.date(2024, 1, 1), dt.date(2024, 1, 31)), 9, {"type": ["brand", "stöld"], "unit": 3}
    )
    same_a = hs.cache_key(
        (dt.date(2024, 1, 1), dt.date(2024, 1, 31)), 9, {"unit": 3, "type": ["brand", "stöld"]}
    )
    assert key_a == same_a
    assert cache.get_or_compute(key_a, lambda: calls.append(1) or "A") == "A"
    assert cache.get_or_compute(same_a, lambda: calls.append(1) or "B") == "A"
    assert len(calls) == 1 and cache.hits == 1
    other_res = hs.cache_key(
        (dt.date(2024, 1, 1), dt.date(2024, 1, 31)), 8, {"unit": 3, "type": ["brand", "stöld"]}
    )
    assert other_res != key_a


def test_cache_evicts_the_least_recently_used_entry():
    cache = hs.ResultCache(maxsize=2)
    for name in ("a", "b"):
        cache.get_or_compute(name, lambda n=name: n)
    cache.get_or_compute("a", lambda: "again")  # touch a
    cache.get_or_compute("c", lambda: "c")
    assert "a" in cache and "c" in cache and "b" not in cache


def test_invalidate_hotspots_drops_only_periods_that_contain_the_change():
    cache = hs.ResultCache()
    jan = hs.cache_key((dt.date(2024, 1, 1), dt.date(2024, 1, 31)), 9)
    feb = hs.cache_key((dt.date(2024, 2, 1), dt.date(2024, 2, 29)), 9)
    for key in (jan, feb):
        cache.get_or_compute(key, lambda: "result")
    assert hs.invalidate_hotspots(dt.date(2024, 1, 31), cache=cache) == 1  # end date is inclusive
    assert jan not in cache and feb in cache
    aware = dt.datetime(2024, 2, 10, 12, tzinfo=dt.UTC)
    assert hs.invalidate_hotspots(aware, cache=cache) == 1
    cache.get_or_compute(jan, lambda: "result")
    assert hs.invalidate_hotspots(cache=cache) == 1 and len(cache) == 0


def test_no_incidents_gives_an_empty_or_all_quiet_result():
    empty = np.array([], dtype=np.int64)
    assert len(hs.gi_star(empty, np.array([]))) == 0
    quiet = hs.gi_star(empty, np.array([]), study_area=np.array(sorted(disk(CENTRE, 1))))
    assert len(quiet) == 7 and set(quiet.classes.tolist()) == {"not_significant"}
