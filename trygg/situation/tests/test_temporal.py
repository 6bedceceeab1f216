"""Incidents over time (trygg.situation.temporal): period comparison and the aoristic weekday × hour table."""

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from trygg.situation import temporal as tp

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
    result = tp.compare_periods(times, end=end, recent_weeks=4, baseline_weeks=12)

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
    result = tp.compare_periods(times, end=end)
    assert result.vs_baseline.ratio == 1.0
    assert result.vs_baseline.p_value == pytest.approx(1.0)
    assert result.vs_last_year.ratio is None  # nothing last year
    empty = tp.compare_periods(np.array([], dtype="datetime64[s]"), end=end)
    assert empty.vs_baseline.count == 0 and empty.vs_baseline.p_value == 1.0


def test_compare_periods_counts_per_cell():
    end = at(2024, 3, 4)
    times = np.array([at(2024, 3, 1), at(2024, 3, 2), at(2024, 1, 2), at(2023, 2, 10), at(2020, 1, 1)])
    cells = np.array([7, 7, 9, 7, 11], dtype=np.int64)
    by_cell = tp.compare_periods(times, end=end, cells=cells).by_cell
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
    table = tp.aoristic_weekday_hour(np.array([at(2024, 1, 7, 22)]), np.array([at(2024, 1, 8, 2)]))
    assert dt.date(2024, 1, 7).weekday() == 6  # Sunday
    expected = np.zeros((7, 24))
    expected[6, 22] = expected[6, 23] = expected[0, 0] = expected[0, 1] = 0.25
    np.testing.assert_allclose(table, expected, atol=1e-15)


def test_instants_land_in_their_own_weekday_and_hour():
    rng = np.random.default_rng(2)
    starts = at(2023, 1, 1) + rng.integers(0, 3 * 365 * 86400, 500).astype("timedelta64[s]")
    table = tp.aoristic_weekday_hour(starts)
    expected = np.zeros((7, 24))
    for s in starts.tolist():
        expected[s.weekday(), s.hour] += 1
    np.testing.assert_array_equal(table, expected)


def test_equal_spreading_matches_a_clock_walk_and_sums_to_the_number_of_incidents():
    rng = np.random.default_rng(3)
    starts = at(2023, 5, 1) + rng.integers(0, 365 * 86400, 400).astype("timedelta64[s]")
    ends = starts + rng.integers(0, 3 * 86400, 400).astype("timedelta64[s]")
    table = tp.aoristic_weekday_hour(starts, ends)
    np.testing.assert_allclose(table, brute_force_equal(starts, ends), atol=1e-9)
    assert table.sum() == pytest.approx(400)
    assert tp.aoristic_weekday_hour(starts, ends, method="proportional").sum() == pytest.approx(400)


def test_proportional_spreading_follows_the_time_spent_in_each_hour():
    s, e = np.array([at(2024, 1, 3, 22)]), np.array([at(2024, 1, 3, 23, 15)])  # Wednesday
    prop = tp.aoristic_weekday_hour(s, e, method="proportional")
    equal = tp.aoristic_weekday_hour(s, e)
    assert prop[2, 22] == pytest.approx(0.8) and prop[2, 23] == pytest.approx(0.2)
    assert equal[2, 22] == equal[2, 23] == 0.5
    inside_hour = tp.aoristic_weekday_hour(
        np.array([at(2024, 1, 3, 22, 10)]), np.array([at(2024, 1, 3, 22, 50)]), method="proportional"
    )
    assert inside_hour[2, 22] == 1.0 and inside_hour.sum() == 1.0


def test_a_window_of_a_week_or_more_is_spread_evenly_and_missing_ends_are_instants():
    table = tp.aoristic_weekday_hour(np.array([at(2024, 1, 3, 22)]), np.array([at(2024, 1, 11, 5)]))
    np.testing.assert_allclose(table, np.full((7, 24), 1 / 168))
    nat = tp.aoristic_weekday_hour(np.array([at(2024, 1, 3, 22, 30)]), np.array([np.datetime64("NaT")]))
    assert nat[2, 22] == 1.0 and nat.sum() == 1.0


def test_aoristic_refuses_windows_that_end_before_they_start_and_aware_datetimes():
    with pytest.raises(ValueError, match="window 1 ends before it starts"):
        tp.aoristic_weekday_hour(
            np.array([at(2024, 1, 1), at(2024, 1, 2)]), np.array([at(2024, 1, 1), at(2024, 1, 1)])
        )
    aware = np.array([dt.datetime(2024, 1, 1, tzinfo=dt.UTC)], dtype=object)
    with pytest.raises(ValueError, match="local_times"):
        tp.aoristic_weekday_hour(aware)


def test_local_times_converts_utc_to_swedish_wall_clock():
    utc = [
        dt.datetime(2024, 7, 1, 20, 30, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 1, 20, 30, tzinfo=dt.UTC),
        None,
    ]
    local = tp.local_times(utc)
    assert local[0] == at(2024, 7, 1, 22, 30)  # CEST
    assert local[1] == at(2024, 1, 1, 21, 30)  # CET
    assert np.isnat(local[2])
    stockholm = dt.datetime(2024, 7, 1, 22, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert tp.local_times([stockholm])[0] == at(2024, 7, 1, 22, 30)


def test_no_incidents_give_an_empty_table():
    assert tp.aoristic_weekday_hour(np.array([], dtype="datetime64[s]")).sum() == 0
