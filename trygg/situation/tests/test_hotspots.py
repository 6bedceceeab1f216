"""Hotspot statistics (trygg.situation.hotspots): Gi* against esda, BH classes, periods, aoristic."""

import datetime as dt
import warnings
from zoneinfo import ZoneInfo

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
    # esda's p_norm is one-sided
    np.testing.assert_allclose(result.p, 2 * g.p_norm, rtol=0, atol=1e-12)
    return g.Zs


# --- Gi* against esda ----------------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 2])
def test_gi_star_z_scores_equal_esda_g_local_star(k):
    cells, counts = hs.counts_per_cell(random_cells(4000, seed=42))
    result = hs.gi_star(cells, counts, k=k)
    assert len(result) > len(cells)  # zero-count ring cells were added
    z_esda = esda_z(result, k)
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


# --- period comparison ---------------------------------------------------------------------------


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> np.datetime64:
    """Naive local wall-clock time, as the hotspot functions take it."""
    return np.datetime64(f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}", "s")


def test_compare_periods_gives_weekly_rates_against_the_previous_weeks_and_last_year():
    end = dt.date(2024, 3, 4)  # a Monday
    rng = np.random.default_rng(1)
    recent = at(2024, 2, 5) + rng.integers(0, 28 * 86400, 40).astype("timedelta64[s]")
    baseline = at(2023, 11, 13) + rng.integers(0, 84 * 86400, 60).astype("timedelta64[s]")
    last_year = at(2023, 2, 6) + rng.integers(0, 28 * 86400, 20).astype("timedelta64[s]")
    outside = np.array([at(2024, 3, 4), at(2023, 11, 12, 23, 59), at(2023, 3, 6)])
    times = np.concatenate([recent, baseline, last_year, outside])
    result = hs.compare_periods(times, end=end, recent_weeks=4, baseline_weeks=12)

    assert result.recent.start == at(2024, 2, 5) and result.recent.end == at(2024, 3, 4)
    assert result.baseline.start == at(2023, 11, 13)
    assert result.last_year.start == at(2023, 2, 6)  # 364 days back: also a Monday
    assert result.vs_baseline.count == 40 and result.vs_baseline.reference_count == 60
    assert result.vs_baseline.per_week == 10.0 and result.vs_baseline.reference_per_week == 5.0
    assert result.vs_baseline.ratio == 2.0
    assert result.vs_last_year.reference_count == 20 and result.vs_last_year.ratio == 2.0
    assert result.vs_baseline.p_value < 0.01


def test_equal_weekly_rates_are_not_a_change():
    end = at(2024, 3, 4)
    times = np.concatenate(
        [
            at(2024, 2, 5) + np.arange(10) * np.timedelta64(2, "D"),
            at(2023, 11, 13) + np.arange(30) * np.timedelta64(2, "D"),
        ]
    )
    result = hs.compare_periods(times, end=end)
    assert result.vs_baseline.ratio == 1.0
    assert result.vs_baseline.p_value == pytest.approx(1.0)
    assert result.vs_last_year.ratio is None  # nothing last year
    empty = hs.compare_periods(np.array([], dtype="datetime64[s]"), end=end)
    assert empty.vs_baseline.count == 0 and empty.vs_baseline.p_value == 1.0


def test_compare_periods_counts_per_cell():
    end = at(2024, 3, 4)
    times = np.array([at(2024, 3, 1), at(2024, 3, 2), at(2024, 1, 2), at(2023, 2, 10), at(2020, 1, 1)])
    cells = np.array([7, 7, 9, 7, 11], dtype=np.int64)
    by_cell = hs.compare_periods(times, end=end, cells=cells).by_cell
    assert by_cell.cells.tolist() == [7, 9]
    assert by_cell.recent.tolist() == [2, 0]
    assert by_cell.baseline.tolist() == [0, 1]
    assert by_cell.last_year.tolist() == [1, 0]


# --- aoristic weekday × hour ---------------------------------------------------------------------


def brute_force_equal(starts, ends) -> np.ndarray:
    """Independent reference: walk the clock hours of each window with datetime."""
    table = np.zeros((7, 24))
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        hour = s.replace(minute=0, second=0, microsecond=0)
        hours = []
        while hour < e or not hours:
            hours.append(hour)
            hour += dt.timedelta(hours=1)
        for h in hours:
            table[h.weekday(), h.hour] += 1 / len(hours)
    return table


def test_a_window_from_22_to_02_spreads_a_quarter_over_four_hours_across_sunday_midnight():
    table = hs.aoristic_weekday_hour(np.array([at(2024, 1, 7, 22)]), np.array([at(2024, 1, 8, 2)]))
    assert dt.date(2024, 1, 7).weekday() == 6  # Sunday
    expected = np.zeros((7, 24))
    expected[6, 22] = expected[6, 23] = expected[0, 0] = expected[0, 1] = 0.25
    np.testing.assert_allclose(table, expected, atol=1e-15)


def test_instants_land_in_their_own_weekday_and_hour():
    rng = np.random.default_rng(2)
    starts = at(2023, 1, 1) + rng.integers(0, 3 * 365 * 86400, 500).astype("timedelta64[s]")
    table = hs.aoristic_weekday_hour(starts)
    expected = np.zeros((7, 24))
    for s in starts.tolist():
        expected[s.weekday(), s.hour] += 1
    np.testing.assert_array_equal(table, expected)


def test_equal_spreading_matches_a_clock_walk_and_sums_to_the_number_of_incidents():
    rng = np.random.default_rng(3)
    starts = at(2023, 5, 1) + rng.integers(0, 365 * 86400, 400).astype("timedelta64[s]")
    ends = starts + rng.integers(0, 3 * 86400, 400).astype("timedelta64[s]")
    table = hs.aoristic_weekday_hour(starts, ends)
    np.testing.assert_allclose(table, brute_force_equal(starts, ends), atol=1e-9)
    assert table.sum() == pytest.approx(400)
    assert hs.aoristic_weekday_hour(starts, ends, method="proportional").sum() == pytest.approx(400)


def test_proportional_spreading_follows_the_time_spent_in_each_hour():
    s, e = np.array([at(2024, 1, 3, 22)]), np.array([at(2024, 1, 3, 23, 15)])  # Wednesday
    prop = hs.aoristic_weekday_hour(s, e, method="proportional")
    equal = hs.aoristic_weekday_hour(s, e)
    assert prop[2, 22] == pytest.approx(0.8) and prop[2, 23] == pytest.approx(0.2)
    assert equal[2, 22] == equal[2, 23] == 0.5
    inside_hour = hs.aoristic_weekday_hour(
        np.array([at(2024, 1, 3, 22, 10)]), np.array([at(2024, 1, 3, 22, 50)]), method="proportional"
    )
    assert inside_hour[2, 22] == 1.0 and inside_hour.sum() == 1.0


def test_a_window_of_a_week_or_more_is_spread_evenly_and_missing_ends_are_instants():
    table = hs.aoristic_weekday_hour(np.array([at(2024, 1, 3, 22)]), np.array([at(2024, 1, 11, 5)]))
    np.testing.assert_allclose(table, np.full((7, 24), 1 / 168))
    nat = hs.aoristic_weekday_hour(np.array([at(2024, 1, 3, 22, 30)]), np.array([np.datetime64("NaT")]))
    assert nat[2, 22] == 1.0 and nat.sum() == 1.0


def test_aoristic_refuses_windows_that_end_before_they_start_and_aware_datetimes():
    with pytest.raises(ValueError, match="window 1 ends before it starts"):
        hs.aoristic_weekday_hour(
            np.array([at(2024, 1, 1), at(2024, 1, 2)]), np.array([at(2024, 1, 1), at(2024, 1, 1)])
        )
    aware = np.array([dt.datetime(2024, 1, 1, tzinfo=dt.UTC)], dtype=object)
    with pytest.raises(ValueError, match="local_times"):
        hs.aoristic_weekday_hour(aware)


def test_local_times_converts_utc_to_swedish_wall_clock():
    utc = [
        dt.datetime(2024, 7, 1, 20, 30, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 1, 20, 30, tzinfo=dt.UTC),
        None,
    ]
    local = hs.local_times(utc)
    assert local[0] == at(2024, 7, 1, 22, 30)  # CEST
    assert local[1] == at(2024, 1, 1, 21, 30)  # CET
    assert np.isnat(local[2])
    stockholm = dt.datetime(2024, 7, 1, 22, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert hs.local_times([stockholm])[0] == at(2024, 7, 1, 22, 30)


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
    assert hs.aoristic_weekday_hour(np.array([], dtype="datetime64[s]")).sum() == 0
