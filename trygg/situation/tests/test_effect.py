"""Effect check: hand-computed cases of the ratio of ratios, the exact conditional test and the wording."""

from __future__ import annotations

import datetime as dt
from math import comb

import pytest
from scipy.stats import nchypergeom_fisher

from trygg.situation.effect import (
    CANNOT_SAY,
    DECREASE,
    INCREASE,
    NO_CLEAR_CHANGE,
    effect_check,
    windows,
)


def fisher_two_sided(a: int, b: int, c: int, d: int) -> float:
    """Fisher's exact test of [[a, b], [c, d]] straight from the hypergeometric formula: the sum of the
    probabilities of all tables with the same margins that are no more likely than the observed one."""
    row, col, n = a + b, a + c, a + b + c + d

    def prob(x):
        return comb(col, x) * comb(n - col, row - x) / comb(n, row)

    observed = prob(a)
    support = range(max(0, row + col - n), min(row, col) + 1)
    return sum(prob(x) for x in support if prob(x) <= observed * (1 + 1e-7))


def test_a_clear_drop_against_a_steady_control_is_a_decrease():
    result = effect_check(20, 8, 400, 410, days=56)
    assert result.ratio == pytest.approx((8 / 20) / (410 / 400))  # 0.3902…
    assert result.percent == -61
    assert result.p_value == pytest.approx(fisher_two_sided(8, 20, 410, 400), rel=1e-6)
    assert result.p_value < 0.05
    assert result.verdict == DECREASE
    assert result.ci_high < 1
    assert "minskade mer än i resten av kommunen" in result.text and "−61 %" in result.text


def test_the_interval_is_the_exact_conditional_one():
    result = effect_check(20, 8, 400, 410, days=56)
    # At the interval's ends the observed count is exactly in the 2.5 % tail of Fisher's noncentral
    # hypergeometric distribution (margins fixed; odds ratio = the ratio of rates).
    total, area_after_plus_control_after, n = 28, 418, 838
    upper = nchypergeom_fisher(n, area_after_plus_control_after, total, result.ci_high)
    lower = nchypergeom_fisher(n, area_after_plus_control_after, total, result.ci_low)
    assert upper.cdf(8) == pytest.approx(0.025, abs=1e-4)
    assert lower.sf(7) == pytest.approx(0.025, abs=1e-4)


def test_the_same_change_as_the_rest_of_the_municipality_is_no_clear_change():
    result = effect_check(10, 10, 100, 100, days=28)
    assert result.ratio == 1.0 and result.percent == 0
    assert result.p_value == pytest.approx(1.0)
    assert result.verdict == NO_CLEAR_CHANGE
    assert "Det går alltså inte att säga att åtgärden hade effekt" in result.text


def test_a_moderate_drop_with_wide_uncertainty_is_no_clear_change():
    result = effect_check(20, 18, 400, 410, days=56)
    assert result.percent == -12
    assert result.ci_low < 1 < result.ci_high
    assert result.verdict == NO_CLEAR_CHANGE


def test_a_tripling_in_the_area_is_an_increase():
    result = effect_check(10, 30, 400, 400, days=56)
    assert result.ratio == 3.0
    assert result.p_value == pytest.approx(fisher_two_sided(30, 10, 400, 400), rel=1e-6)
    assert result.verdict == INCREASE and result.ci_low > 1
    assert "+200 %" in result.text


def test_an_area_without_incidents_before_gets_no_percentage():
    result = effect_check(0, 12, 100, 100, days=56)
    assert result.verdict == INCREASE and result.percent is None
    assert "från 0 till 12 händelser" in result.text


@pytest.mark.parametrize(
    ("counts", "days", "why"),
    [
        ((3, 2, 100, 100), 56, "för få händelser i området (3 före och 2 efter"),
        ((20, 8, 3, 2), 56, "resten av kommunen har för få händelser"),
        ((20, 8, 400, 410), 10, "har pågått i 10 dagar"),
    ],
)
def test_small_counts_or_short_windows_give_cannot_say(counts, days, why):
    result = effect_check(*counts, days=days)
    assert result.verdict == CANNOT_SAY
    assert result.ratio is None and result.p_value is None
    assert "går inte att säga" in result.text.lower() and why in result.text


def test_negative_or_non_integer_counts_are_refused():
    with pytest.raises(ValueError):
        effect_check(-1, 2, 3, 4, days=30)
    with pytest.raises(ValueError):
        effect_check(1.5, 2, 3, 4, days=30)


def test_windows_have_equal_length_and_stop_at_today():
    w = windows(dt.date(2024, 3, 1), today=dt.date(2024, 3, 20), length_days=56)
    assert (w.before_start, w.start, w.after_end, w.days) == (
        dt.date(2024, 2, 11),
        dt.date(2024, 3, 1),
        dt.date(2024, 3, 20),
        19,
    )
    w = windows(dt.date(2024, 3, 1), today=dt.date(2024, 12, 1), length_days=28)
    assert (w.before_start, w.after_end, w.days) == (dt.date(2024, 2, 2), dt.date(2024, 3, 29), 28)


# --- displacement and regression to the mean ------------------------------------------------------------

from fractions import Fraction  # noqa: E402

from trygg.situation.effect import (  # noqa: E402
    LIMITS,
    REGRESSION_TO_THE_MEAN,
    displacement_quotient,
)


def test_displacement_quotient_on_a_hand_computed_example():
    # Area 40 -> 20, buffer 30 -> 36, control 1000 -> 800.
    # success = 20/800 - 40/1000 = -0.015; buffer = 36/800 - 30/1000 = 0.015; WDQ = 0.015 / -0.015 = -1.
    # Take buffer 33 instead: 33/800 - 0.03 = 0.01125 -> WDQ = -0.75 (some displacement, less than the fall).
    result = displacement_quotient(40, 20, 30, 33, 1000, 800)
    success = Fraction(20, 800) - Fraction(40, 1000)
    buffer = Fraction(33, 800) - Fraction(30, 1000)
    assert result.success == pytest.approx(float(success))
    assert result.wdq == pytest.approx(float(buffer / success)) and result.wdq == pytest.approx(-0.75)
    assert "−0,75" in result.text and "färre än minskningen" in result.text


def test_displacement_reads_diffusion_and_net_harm_and_refuses_without_success():
    assert displacement_quotient(40, 20, 30, 20, 1000, 1000).wdq == pytest.approx(0.5)  # buffer fell too
    assert "spridning av nyttan" in displacement_quotient(40, 20, 30, 20, 1000, 1000).text
    harm = displacement_quotient(40, 30, 30, 50, 1000, 1000)  # area -10, buffer +20
    assert harm.wdq == pytest.approx(-2.0) and "fler händelser tillkom" in harm.text
    none = displacement_quotient(20, 30, 30, 20, 1000, 1000)
    assert none.wdq is None and "går inte att bedöma" in none.text


def test_effect_check_text_carries_displacement_regression_warning_and_limits():
    result = effect_check(
        40, 12, 500, 520, days=56, buffer_before=30, buffer_after=33, chosen_for_high_counts=True
    )
    assert result.displacement is not None
    assert result.displacement.wdq == pytest.approx((33 / 520 - 30 / 500) / (12 / 520 - 40 / 500))
    assert REGRESSION_TO_THE_MEAN in result.text and LIMITS in result.text
    plain = effect_check(40, 12, 500, 520, days=56)
    assert plain.displacement is None and REGRESSION_TO_THE_MEAN not in plain.text and LIMITS in plain.text
