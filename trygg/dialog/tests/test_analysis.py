from __future__ import annotations

import math

import pytest

from trygg.dialog import analysis


def test_suppress_hides_counts_below_k():
    shown, hidden = analysis.suppress({1: 4, 2: 5, 3: 1}, 5)
    assert shown == {2: 5} and hidden == 5


def test_wilson_matches_a_known_value():
    lo, hi = analysis.wilson(8, 10)
    assert lo == pytest.approx(0.4902, abs=1e-3) and hi == pytest.approx(0.9433, abs=1e-3)


def test_newcombe_interval_contains_the_difference_and_is_wider_with_bonferroni():
    d, lo, hi = analysis.newcombe(30, 40, 10, 40)
    assert d == pytest.approx(0.5) and lo < d < hi
    _, lo_b, hi_b = analysis.newcombe(30, 40, 10, 40, analysis.z_for(8))
    assert lo_b < lo and hi_b > hi


def test_dark_vs_day_flags_only_clear_differences():
    rows = (
        [("kvall", ["belysning"])] * 30 + [("dag", ["nedskrapning"])] * 30 + [("natt", ["nedskrapning"])] * 2
    )
    table = {
        r.code: r for r in analysis.dark_vs_day(rows, {"belysning": "B", "nedskrapning": "N", "trafik": "T"})
    }
    assert table["belysning"].clear and table["belysning"].difference > 0.9
    assert not table["trafik"].clear


def test_spearman_perfect_and_undefined():
    rho, lo, hi = analysis.spearman([1, 2, 3, 4, 5, 6], [2, 4, 6, 8, 10, 12])
    assert rho == pytest.approx(1, abs=1e-5) and lo < hi
    assert analysis.spearman([1, 1, 1, 1, 1], [1, 2, 3, 4, 5]) == (None, None, None)
    assert analysis.spearman([1, 2], [1, 2])[0] is None
    rows = [(f, {"belysning": f + (i % 2)}) for i, f in enumerate([1, 2, 3, 4, 5, 1, 2, 3])]
    result = analysis.feeling_vs_parameters(rows)
    assert result[0].parameter == "belysning" and result[0].rho > 0 and not math.isnan(result[0].rho)
