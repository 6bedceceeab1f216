"""Tests of the statistics behind the nulägesanalys: formatting, rates, shares, ranking, the composite.
Expected values are computed by hand (worked examples), not by calling numpy the way the code does.
The change test and trends are in test_changes.py."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.indicators.analysis import (
    NBSP,
    MinMaxEqualWeight,
    ShareEstimate,
    compare_shares,
    composite_index,
    count_from_rate,
    describe_share_change,
    describe_share_comparison,
    format_number,
    format_p_value,
    peer_comparison,
    quartile_phrase,
    rank,
    rate_per_100k,
    share_difference_test,
    share_interval,
)

# --- Swedish formatting ---------------------------------------------------------------------------------


def test_numbers_use_space_thousands_and_decimal_comma():
    assert format_number(1234.5, 1) == f"1{NBSP}234,5"
    assert format_number(1234567) == f"1{NBSP}234{NBSP}567"
    assert format_number(7812.4) == f"7{NBSP}812"
    assert format_number(-1234) == f"\u22121{NBSP}234"
    assert format_number(-0.04, 1) == "0,0"
    assert format_number(float("nan")) == "–"


def test_p_value_is_never_rounded_across_the_significance_level():
    assert format_p_value(0.0496) == "p = 0,0496"  # rounded to 0,050 it would look not significant
    assert format_p_value(0.0504) == "p = 0,050"  # not below 0,05, and it does not look it
    assert format_p_value(0.0004) == "p < 0,001"
    assert format_p_value(0.003) == "p = 0,003"
    assert format_p_value(0.2134) == "p = 0,21"


@given(st.floats(min_value=0, max_value=1, allow_nan=False), st.sampled_from([0.01, 0.05, 0.1]))
def test_formatted_p_value_is_on_the_same_side_of_alpha(p, alpha):
    text = format_p_value(p, alpha)
    if text.startswith("p < "):
        assert p < 0.001
        return
    shown = float(text.removeprefix("p = ").replace(",", "."))
    assert (shown < alpha) == (p < alpha)


# --- Rates ----------------------------------------------------------------------------------------------


def test_rate_per_100k_and_back():
    assert rate_per_100k(3598, 46_000) == pytest.approx(3598 / 46_000 * 100_000)
    assert count_from_rate(rate_per_100k(3598, 46_000), 46_000) == pytest.approx(3598)
    rates = rate_per_100k(np.array([10, 20]), np.array([1000, 4000]))
    assert rates.tolist() == [1000.0, 500.0]


@pytest.mark.parametrize("population", [0, -5, float("nan")])
def test_rate_refuses_population_that_is_not_positive(population):
    with pytest.raises(ValueError, match="Befolkningen måste vara större än noll"):
        rate_per_100k(10, population)
    with pytest.raises(ValueError, match="Befolkningen"):
        count_from_rate(100.0, population)


def test_rate_refuses_negative_count():
    with pytest.raises(ValueError, match="negativt"):
        rate_per_100k(-1, 100)


# --- NTU shares -------------------------------------------------------------------------------------------


def test_share_interval_from_margin_or_bounds():
    assert share_interval(20, 3) == ShareEstimate(20, 17, 23)
    assert share_interval(2, 3) == ShareEstimate(2, 0, 5)  # a share is never below zero
    asymmetric = share_interval(20, (17, 24))
    assert (asymmetric.low, asymmetric.high, asymmetric.margin) == (17, 24, 4)
    with pytest.raises(ValueError, match="inte inom intervallet"):
        share_interval(25, (17, 24))
    with pytest.raises(ValueError, match="negativ"):
        share_interval(20, -1)


def hand_z_p(a: float, ma: float, b: float, mb: float) -> float:
    """Two-sided normal p of (a - b) / sqrt((ma/1.96)^2 + (mb/1.96)^2), the normal tail via math.erfc."""
    z = (a - b) / math.sqrt((ma / 1.959963984540054) ** 2 + (mb / 1.959963984540054) ** 2)
    return math.erfc(abs(z) / math.sqrt(2))


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ((23, 3), (20, 3), "no_difference"),  # z = 1.41
        ((15, 2), (23, 3), "lower"),
        ((30, 2), (23, 3), "higher"),
        ((23, (20, 26)), (17, (14, 20)), "higher"),  # touching intervals: z = 2.77, a real difference
        ((23, 3.5), (27, 1.2), "lower"),  # Kungälv against Polisregion Väst: intervals overlap, p = 0.034
    ],
)
def test_shares_differ_when_the_test_of_the_difference_says_so(a, b, expected):
    assert compare_shares(share_interval(*a), share_interval(*b)) == expected


def test_ntu_difference_test_on_the_kungalv_against_region_case():
    kungalv, region = share_interval(23, 3.5), share_interval(27, 1.2)
    assert kungalv.high > region.low  # the old rule called this "inom felmarginalen"
    test = share_difference_test(kungalv, region, nested=True)
    # By hand: SE = margin / 1.96 for each share, independent samples, z = difference / sqrt(SE_a² + SE_b²).
    se_hand = math.hypot(3.5 / 1.959963984540054, 1.2 / 1.959963984540054)
    assert test.z == pytest.approx((23 - 27) / se_hand, rel=1e-9)
    assert test.p_value == pytest.approx(hand_z_p(23, 3.5, 27, 1.2), rel=1e-9)
    assert (round(abs(test.z), 2), round(test.p_value, 3)) == (2.12, 0.034)  # the figures the issue quotes
    assert test.significant and test.nested
    text = describe_share_comparison(
        kungalv, region, "i Kungälv", "i Polisregion Väst", "andelen", nested=True
    )
    assert "statistiskt säkerställd (p = 0,034)" in text


@given(st.floats(1, 99), st.floats(0.1, 10), st.floats(1, 99), st.floats(0.1, 10))
def test_share_test_matches_the_hand_formula_and_is_symmetric(a, ma, b, mb):
    x, y = share_interval(a, ma), share_interval(b, mb)
    if x.low == 0 or y.low == 0:  # a margin clipped at zero is no longer symmetric
        return
    forward, backward = share_difference_test(x, y), share_difference_test(y, x)
    assert forward.p_value == pytest.approx(hand_z_p(a, ma, b, mb), rel=1e-6, abs=1e-12)
    assert forward.p_value == pytest.approx(backward.p_value) and forward.z == pytest.approx(-backward.z)


def test_pooled_ntu_values_are_labelled_with_their_years():
    pooled = share_interval(23, 3.5, years=(2022, 2023))
    assert pooled.label(2023) == "2022\u20132023"
    assert share_interval(23, 3.5).label(2023) == "2023"
    text = describe_share_change(share_interval(20, 3, years=(2020, 2021)), pooled, 2021, 2023, "andelen")
    assert "20 procent 2020\u20132021 till 23 procent 2022\u20132023" in text


def test_share_change_within_margin_states_the_change_without_claiming_it():
    text = describe_share_change(
        share_interval(20, (17, 24)), share_interval(23, (19, 27)), 2022, 2023, "andelen otrygga i Kungälv"
    )
    assert text == (
        "Andelen otrygga i Kungälv har ökat från 20 procent 2022 till 23 procent 2023, en skillnad som ligger "
        f"inom felmarginalen ({format_p_value(hand_z_p(23, 4, 20, 3.5))})."
    )


def test_share_change_outside_margin_is_called_significant():
    text = describe_share_change(share_interval(15, 2), share_interval(23, 3), 2021, 2023, "andelen")
    assert text.endswith(f"en statistiskt säkerställd ökning ({format_p_value(hand_z_p(23, 3, 15, 2))}).")
    same = describe_share_change(share_interval(20, 2), share_interval(20, 2), 2022, 2023, "andelen")
    assert same == "Andelen var 20 procent både 2022 och 2023."


def test_share_comparison_words():
    lower = describe_share_comparison(share_interval(23, (19, 27)), share_interval(28, 0.5), "i Kungälv", "i riket",
                                      "andelen")  # fmt: skip
    assert lower == (
        "Andelen är lägre i Kungälv (23 procent) än i riket (28 procent); skillnaden är statistiskt säkerställd "
        f"({format_p_value(hand_z_p(23, 4, 28, 0.5))})."
    )
    close = describe_share_comparison(
        share_interval(26, 3), share_interval(28, 0.5), "i Kungälv", "i riket", "andelen"
    )
    assert close.endswith(
        f"men skillnaden ligger inom felmarginalen ({format_p_value(hand_z_p(26, 3, 28, 0.5))})."
    )
    assert "säkerställd" not in close


@given(
    st.floats(0, 100), st.floats(0, 10), st.floats(0, 100), st.floats(0, 10)
)  # point estimates and margins
def test_share_wording_claims_significance_only_without_overlap(v1, m1, v2, m2):
    a, b = share_interval(v1, m1), share_interval(v2, m2)
    text = describe_share_change(a, b, 2022, 2023, "andelen") + describe_share_comparison(
        a, b, "i A", "i B", "x"
    )
    if compare_shares(a, b) == "no_difference":
        assert "säkerställd" not in text


# --- Ranking ----------------------------------------------------------------------------------------------


def test_ties_share_the_best_rank_and_the_next_rank_is_skipped():
    result = rank({"a": 10, "b": 20, "c": 20, "d": 30})  # lower is better
    assert [result[c].rank for c in "abcd"] == [1, 2, 2, 4]
    assert [result[c].quartile for c in "abcd"] == [1, 2, 2, 4]
    assert result["b"].tied_with == ("c",)
    assert result["a"].tied_with == ()
    assert result["a"].of == 4
    assert (result["a"].extreme, result["b"].extreme, result["d"].extreme) == ("lowest", None, "highest")


def test_higher_is_better_reverses_the_ranks():
    result = rank({"a": 10, "b": 20, "c": 20, "d": 30}, higher_is_better=True)
    assert [result[c].rank for c in "abcd"] == [4, 2, 2, 1]
    assert [result[c].quartile for c in "abcd"] == [4, 2, 2, 1]
    assert result["d"].extreme == "highest"  # best quarter, and the highest values
    assert result["a"].extreme == "lowest"


def test_missing_values_are_excluded_and_reported():
    result = rank({"a": 10, "b": None, "c": float("nan"), "d": 5})
    assert set(result) == {"a", "d"}
    assert result.missing == ("b", "c")
    assert result["d"].rank == 1
    assert result["a"].of == 2


def test_quartiles_of_290_kommuner_hold_72_in_each_outer_quarter():
    values = {f"{i:04d}": float(i) for i in range(1, 291)}
    result = rank(values)
    quartiles = [result[code].quartile for code in values]
    assert [quartiles.count(q) for q in (1, 2, 3, 4)] == [72, 73, 73, 72]
    assert result["0072"].quartile == 1  # 72 of 290 = 24.8 %
    assert result["0073"].quartile == 2  # 73 of 290 = 25.2 %: not "among the 25 percent"
    assert result["0219"].quartile == 4
    assert result["0218"].quartile == 3


def test_tie_group_straddling_the_quarter_boundary_is_not_in_the_outer_quarter():
    result = rank({"a": 1, "b": 2, "c": 2, "d": 3, "e": 4, "f": 5, "g": 6, "h": 7})
    assert result["a"].quartile == 1
    # b and c are 2nd and 3rd: one of them would be outside the 2 best, so neither is called "best 25 %".
    assert result["b"].quartile == result["c"].quartile == 2
    assert result["b"].rank == 2


def test_all_equal_values_put_nobody_in_the_outer_quarters():
    result = rank({c: 5.0 for c in "abcdefgh"})
    assert {r.rank for r in result.values()} == {1}
    assert {r.quartile for r in result.values()} == {2}


def test_rounding_makes_published_equal_values_ties():
    result = rank({"a": 12.3000000001, "b": 12.3, "c": 15}, decimals=1)
    assert result["a"].rank == result["b"].rank == 1
    assert rank({"a": 12.3000000001, "b": 12.3, "c": 15})["a"].rank == 2


def test_quartile_phrase():
    result = rank({"a": 10, "b": 20, "c": 20, "d": 30})
    assert quartile_phrase(result["a"], "våldsbrott", low_word="minst antal") == (
        "bland de 25 procent av kommunerna med minst antal våldsbrott"
    )
    assert quartile_phrase(result["d"], "stölder") == "bland de 25 procent av kommunerna med högst stölder"
    assert quartile_phrase(result["b"], "stölder") == ""


def test_peer_comparison_against_median_and_rank_in_group():
    values = {"a": 10, "b": 30, "c": 20, "d": 100, "e": None}
    groups = {"a": "pendling", "b": "pendling", "c": "pendling", "d": "storstad", "e": "pendling"}
    result = peer_comparison(values, groups, "b")
    assert (result.group, result.peers, result.median, result.mean) == ("pendling", 3, 20, 20)
    assert result.difference_from_median == 10
    assert (result.rank.rank, result.rank.of) == (3, 3)
    with pytest.raises(ValueError, match="saknar värde"):
        peer_comparison(values, groups, "e")
    with pytest.raises(ValueError, match="saknar jämförelsegrupp"):
        peer_comparison(values, groups, "x")


# --- Composite --------------------------------------------------------------------------------------------

WORKED_INPUTS = {
    "våld": {"A": 10, "B": 20, "C": 30, "D": 50},  # lower is better
    "stöld": {"A": 40, "B": 20, "C": 20, "D": 60},  # lower is better
    "trygghet": {"A": 80, "B": 60, "C": 90, "D": 70},  # higher is better
}
WORKED_DIRECTIONS = {"våld": False, "stöld": False, "trygghet": True}


def test_composite_worked_example():
    # By hand: våld (v-10)/40*100 = 0, 25, 50, 100 -> inverted 100, 75, 50, 0.
    #          stöld (v-20)/40*100 = 50, 0, 0, 100 -> inverted 50, 100, 100, 0.
    #          trygghet (v-60)/30*100 = 200/3, 0, 100, 100/3.
    expected = {
        "A": (Fraction(100) + 50 + Fraction(200, 3)) / 3,  # 72.22
        "B": (Fraction(75) + 100 + 0) / 3,  # 58.33
        "C": (Fraction(50) + 100 + 100) / 3,  # 83.33
        "D": (Fraction(0) + 0 + Fraction(100, 3)) / 3,  # 11.11
    }
    result = composite_index(WORKED_INPUTS, WORKED_DIRECTIONS)
    for code, value in expected.items():
        assert result.scores[code] == pytest.approx(float(value))
    assert {code: result.ranking[code].rank for code in "ABCD"} == {"C": 1, "A": 2, "B": 3, "D": 4}
    assert result.method_name == "Min–max-normalisering med lika vikter"
    assert "0–100" in result.method_description
    assert result.excluded == ()


def test_composite_missing_inputs_use_the_mean_of_available_and_too_few_are_excluded():
    inputs = {
        "våld": {"A": 10, "B": 30, "E": 20},
        "stöld": {"A": 40, "B": 20, "E": None},
        "bränder": {"A": 1, "B": 3, "E": None, "F": 2},
    }
    directions = {"våld": False, "stöld": False, "bränder": False}
    result = composite_index(inputs, directions)
    # våld: A 100, E 50, B 0; stöld: A 0, B 100; bränder: A 100, F 50, B 0. Two of three inputs needed.
    assert result.scores["A"] == pytest.approx((100 + 0 + 100) / 3)
    assert result.scores["B"] == pytest.approx((0 + 100 + 0) / 3)
    assert result.excluded == ("E", "F")
    assert set(result.ranking) == {"A", "B"}


def test_composite_leaves_out_an_input_without_spread():
    inputs = dict(WORKED_INPUTS, konstant={"A": 5, "B": 5, "C": 5, "D": 5})
    result = composite_index(inputs, dict(WORKED_DIRECTIONS, konstant=True))
    assert result.scores == pytest.approx(composite_index(WORKED_INPUTS, WORKED_DIRECTIONS).scores)


def test_composite_equal_inputs_tie():
    inputs = {"våld": {"A": 10, "B": 10, "C": 30}, "stöld": {"A": 5, "B": 5, "C": 9}}
    result = composite_index(inputs, {"våld": False, "stöld": False})
    assert result.ranking["A"].rank == result.ranking["B"].rank == 1
    assert result.ranking["A"].tied_with == ("B",)


def test_composite_method_is_pluggable_and_shown_with_the_result():
    class BestCount:
        name = "Antal nyckeltal där kommunen är bäst"
        description = "Räknar nyckeltalen där kommunen har det bästa värdet."

        def score(self, inputs, directions):
            scores = {code: 0.0 for values in inputs.values() for code in values}
            for name, values in inputs.items():
                best = (max if directions[name] else min)(values.values())
                for code, value in values.items():
                    scores[code] += value == best
            return scores

    result = composite_index(WORKED_INPUTS, WORKED_DIRECTIONS, method=BestCount())
    assert result.method_name == "Antal nyckeltal där kommunen är bäst"
    assert result.method_description.startswith("Räknar")
    assert result.scores == {"A": 1.0, "B": 1.0, "C": 2.0, "D": 0.0}
    assert [result.ranking[c].rank for c in "ABCD"] == [2, 2, 1, 4]


def test_composite_requires_a_direction_for_every_input():
    with pytest.raises(ValueError, match="Riktning.*trygghet"):
        composite_index(WORKED_INPUTS, {"våld": False, "stöld": False})
    with pytest.raises(ValueError, match="minst ett nyckeltal"):
        composite_index({}, {})


def test_min_share_is_configurable():
    inputs = {"våld": {"A": 10, "B": 30, "E": 20}, "stöld": {"A": 40, "B": 20}}
    strict = composite_index(inputs, {"våld": False, "stöld": False}, MinMaxEqualWeight(min_share=1.0))
    assert strict.excluded == ("E",)
    assert "100 procent" in strict.method_description


def test_pooled_values_that_share_a_year_are_described_not_tested():
    from trygg.indicators.analysis import describe_share_change, shared_years

    earlier = share_interval(20, 3.5, years=(2021, 2022))
    later = share_interval(29, 3.5, years=(2022, 2023))  # would be "säkerställd" as independent samples
    assert shared_years(earlier, later, 2022, 2023) == (2022,)
    text = describe_share_change(earlier, later, 2022, 2023, "andelen otrygga")
    assert "2021–2022" in text and "2022–2023" in text
    assert "kan inte prövas" in text and "säkerställd" not in text and "p =" not in text
    apart = share_interval(20, 3.5, years=(2020, 2021))
    assert shared_years(apart, later, 2021, 2023) == ()
    assert "statistiskt säkerställd ökning (p " in describe_share_change(apart, later, 2021, 2023, "andelen")
    # single years never overlap unless equal
    assert shared_years(share_interval(20, 3), share_interval(23, 3), 2022, 2023) == ()
