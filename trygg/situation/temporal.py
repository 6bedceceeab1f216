"""Incidents over time, for the lägesbild: plain numpy + scipy, no Django.

- :func:`local_times` — aware datetimes (as Django returns them) -> naive Swedish wall-clock datetime64.
- :func:`compare_periods` — last N weeks vs the previous M weeks and the same weeks a year earlier, as rates
  per week with an exact test.
- :func:`aoristic_weekday_hour` — 7×24 weekday × hour table with time windows spread over their hours.

Methods, choices and references: docs/hotspots.md ("Period comparison", "Aoristic weekday × hour").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
from scipy import stats

from .hotspots import as_cells

# --- period comparison ---------------------------------------------------------------------------

WEEK = np.timedelta64(7, "D")
YEAR_SHIFT = np.timedelta64(364, "D")  # 52 weeks: same weekdays a year earlier


LOCAL_TZ = "Europe/Stockholm"


def local_times(values: Any, tz: str = LOCAL_TZ) -> np.ndarray:
    """Timezone-aware datetimes (as Django returns them) -> naive local wall-clock ``datetime64[s]``,
    the form :func:`aoristic_weekday_hour` and :func:`compare_periods` take. None -> NaT."""
    zone = ZoneInfo(tz)
    out = np.empty(len(values), dtype="datetime64[s]")
    for i, value in enumerate(values):
        if value is None:
            out[i] = np.datetime64("NaT")
            continue
        if value.tzinfo is None:
            raise ValueError(f"time at index {i} is naive; pass timezone-aware datetimes")
        out[i] = np.datetime64(value.astimezone(zone).replace(tzinfo=None), "s")
    return out


def _as_datetime64(values: Any, what: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype == object:
        if any(getattr(v, "tzinfo", None) is not None for v in arr.ravel()):
            raise ValueError(f"{what} holds timezone-aware datetimes; convert them with local_times()")
        try:
            arr = arr.astype("datetime64[s]")
        except (TypeError, ValueError):
            raise ValueError(f"{what} must be datetimes") from None
    if arr.size and not np.issubdtype(arr.dtype, np.datetime64):
        raise ValueError(f"{what} must be a datetime64 array")
    return arr.astype("datetime64[s]")


def _as_instant(value: Any, what: str) -> np.datetime64:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        raise ValueError(f"{what} must be naive local time, like the incident times")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return np.datetime64(value, "s")


@dataclass(frozen=True)
class Window:
    """Half-open time window [start, end)."""

    start: np.datetime64
    end: np.datetime64

    @property
    def weeks(self) -> float:
        return float((self.end - self.start) / WEEK)

    def mask(self, times: np.ndarray) -> np.ndarray:
        return (times >= self.start) & (times < self.end)


@dataclass(frozen=True)
class RateChange:
    """Count in a window against a reference window, as rates per week."""

    count: int
    weeks: float
    reference_count: int
    reference_weeks: float
    p_value: float

    @property
    def per_week(self) -> float:
        return self.count / self.weeks

    @property
    def reference_per_week(self) -> float:
        return self.reference_count / self.reference_weeks

    @property
    def ratio(self) -> float | None:
        """Rate ratio; None when the reference rate is 0."""
        ref = self.reference_per_week
        return None if ref == 0 else self.per_week / ref


def _rate_test(count: int, weeks: float, ref_count: int, ref_weeks: float) -> float:
    """Two-sided exact test of equal Poisson rates: conditional on the total, the count in the first
    window is Binomial(total, weeks / (weeks + ref_weeks)) under H0."""
    total = count + ref_count
    if total == 0:
        return 1.0
    return float(stats.binomtest(count, total, weeks / (weeks + ref_weeks)).pvalue)


def _rate_change(count: int, window: Window, ref_count: int, ref_window: Window) -> RateChange:
    p_value = _rate_test(count, window.weeks, ref_count, ref_window.weeks)
    return RateChange(count, window.weeks, ref_count, ref_window.weeks, p_value)


@dataclass(frozen=True)
class CellPeriodCounts:
    cells: np.ndarray
    recent: np.ndarray
    baseline: np.ndarray
    last_year: np.ndarray


@dataclass(frozen=True)
class PeriodComparison:
    recent: Window
    baseline: Window
    last_year: Window
    vs_baseline: RateChange
    vs_last_year: RateChange
    by_cell: CellPeriodCounts | None


def compare_periods(
    times: Any,
    *,
    end: Any,
    recent_weeks: int = 4,
    baseline_weeks: int = 12,
    cells: Any | None = None,
) -> PeriodComparison:
    """Last ``recent_weeks`` weeks before ``end`` against the ``baseline_weeks`` weeks before them
    (as rates per week) and against the same weeks 52 weeks (364 days) earlier, so weekdays line up.

    Windows are half-open: recent = [end − N w, end), baseline = [end − (N+M) w, end − N w),
    last year = recent shifted back 364 days. ``times`` are naive local datetimes (datetime64).
    With ``cells`` (same length as ``times``) the counts per cell per window are returned too.
    Each comparison carries a two-sided exact p-value for equal weekly rates.
    """
    if recent_weeks < 1 or baseline_weeks < 1:
        raise ValueError("recent_weeks and baseline_weeks must be at least 1")
    t = _as_datetime64(times, "times")
    end64 = _as_instant(end, "end")
    recent = Window(end64 - recent_weeks * WEEK, end64)
    baseline = Window(recent.start - baseline_weeks * WEEK, recent.start)
    last_year = Window(recent.start - YEAR_SHIFT, recent.end - YEAR_SHIFT)
    masks = [w.mask(t) for w in (recent, baseline, last_year)]
    n_recent, n_base, n_last = (int(m.sum()) for m in masks)

    by_cell = None
    if cells is not None:
        c = as_cells(cells)
        if c.shape != t.shape:
            raise ValueError("cells and times must have the same length")
        any_window = masks[0] | masks[1] | masks[2]
        unique = np.unique(c[any_window])
        per_window = [
            np.bincount(np.searchsorted(unique, c[m]), minlength=unique.size).astype(np.int64) for m in masks
        ]
        by_cell = CellPeriodCounts(unique, *per_window)

    return PeriodComparison(
        recent=recent,
        baseline=baseline,
        last_year=last_year,
        vs_baseline=_rate_change(n_recent, recent, n_base, baseline),
        vs_last_year=_rate_change(n_recent, recent, n_last, last_year),
        by_cell=by_cell,
    )


# --- aoristic weekday × hour ---------------------------------------------------------------------

HOURS_PER_WEEK = 168
MAX_WINDOW = np.timedelta64(7, "D")
_EPOCH_SLOT = 3 * 24  # 1970-01-01 was a Thursday: Monday-based weekday 3


def aoristic_weekday_hour(
    starts: Any,
    ends: Any | None = None,
    *,
    method: Literal["equal", "proportional"] = "equal",
) -> np.ndarray:
    """7×24 table (rows Monday…Sunday, columns hour 0…23) of incidents whose time is a window.

    Each incident carries weight 1 (Ratcliffe 2002). ``method="equal"``: spread equally over the
    clock hours the window [start, end) touches (a window ending exactly on the hour does not touch that
    hour; an instant, end = start or end NaT, puts 1 in its hour). ``method="proportional"``: spread in
    proportion to the time spent in each hour. A window of 7 days or more covers every weekday-hour and
    says nothing about when: it is spread evenly, 1/168 per cell. Times are naive local wall-clock
    time (convert from UTC to Europe/Stockholm first). Rows sum with columns to the number of incidents.
    """
    s = _as_datetime64(starts, "starts")
    if s.ndim != 1:
        raise ValueError("starts must be one-dimensional")
    if np.isnat(s).any():
        raise ValueError(f"starts has a missing time at index {int(np.flatnonzero(np.isnat(s))[0])}")
    e = s.copy() if ends is None else _as_datetime64(ends, "ends")
    if e.shape != s.shape:
        raise ValueError("starts and ends must have the same length")
    e = np.where(np.isnat(e), s, e)
    if (e < s).any():
        i = int(np.flatnonzero(e < s)[0])
        raise ValueError(f"window {i} ends before it starts")
    if method not in ("equal", "proportional"):
        raise ValueError("method must be 'equal' or 'proportional'")

    sec = s.astype(np.int64)
    esec = e.astype(np.int64)
    h0 = np.floor_divide(sec, 3600)
    h1 = np.maximum(-np.floor_divide(-esec, 3600), h0 + 1)  # ceil, at least one hour
    length = h1 - h0
    slot0 = (h0 + _EPOCH_SLOT) % HOURS_PER_WEEK
    duration = (esec - sec).astype(np.float64)
    long_window = (e - s) >= MAX_WINDOW

    # Difference array over two weeks of slots so windows crossing Sunday→Monday need no special case.
    diff = np.zeros(2 * HOURS_PER_WEEK + 1)
    uniform = float(long_window.sum()) / HOURS_PER_WEEK
    short = ~long_window
    if method == "equal":
        w = 1.0 / length[short]
        np.add.at(diff, slot0[short], w)
        np.add.at(diff, slot0[short] + length[short], -w)
        table = np.cumsum(diff)[: 2 * HOURS_PER_WEEK]
    else:
        point = np.zeros(2 * HOURS_PER_WEEK)
        instant = short & (duration == 0)
        np.add.at(point, slot0[instant], 1.0)
        span = short & (duration > 0)
        d, s0, n_h = duration[span], slot0[span], length[span]
        first_end = np.minimum((h0[span] + 1) * 3600, esec[span])
        one_hour = n_h == 1
        np.add.at(point, s0[one_hour], 1.0)
        multi = ~one_hour
        np.add.at(point, s0[multi], (first_end[multi] - sec[span][multi]) / d[multi])
        last_start = (h1[span][multi] - 1) * 3600
        np.add.at(point, s0[multi] + n_h[multi] - 1, (esec[span][multi] - last_start) / d[multi])
        middle = multi & (n_h > 2)
        w = 3600.0 / d[middle]
        np.add.at(diff, s0[middle] + 1, w)
        np.add.at(diff, s0[middle] + n_h[middle] - 1, -w)
        table = np.cumsum(diff)[: 2 * HOURS_PER_WEEK] + point
    week = table[:HOURS_PER_WEEK] + table[HOURS_PER_WEEK:] + uniform
    return week.reshape(7, 24)
