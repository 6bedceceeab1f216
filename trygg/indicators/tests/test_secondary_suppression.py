"""Secondary suppression (secondary_suppression.py), tested by attacking it.

The attacker below is written independently of the module: it reads only what a view or export would
publish (shown counts, "<5" and ".." symbols, totals, rates per 100 000 with the public population, shares),
turns every shown rate and share into an equation, and asks a linear program for the smallest and largest
value each hidden count can take. A hidden count is recovered when that range holds one whole number.
"""

import math

import numpy as np
import pytest
from scipy.optimize import linprog

from trygg.indicators.analysis import count_from_rate, rate_per_100k
from trygg.indicators.secondary_suppression import Relation, needs_suppression, protect

LIMIT = 5


def publish(values, relations, rates=None, shares=None, protected=None):
    """What a reader sees: key -> number (shown) or symbol; rates and shares likewise."""
    shown = {}
    for key, value in values.items():
        text = protected.text(key) if protected else (f"<{LIMIT}" if value < LIMIT else None)
        shown[key] = text if text else value
    shown_rates = {}
    for key, (count_key, population) in (rates or {}).items():
        hidden = protected.hidden(key) if protected else False
        shown_rates[key] = (
            ".."
            if hidden
            else (round(rate_per_100k(values[count_key], population), 1), count_key, population)
        )
    shown_shares = {}
    for key, (part, total) in (shares or {}).items():
        hidden = protected.hidden(key) if protected else False
        shown_shares[key] = ".." if hidden else (round(100 * values[part] / values[total], 1), part, total)
    return shown, shown_rates, shown_shares


def attack(shown, relations, shown_rates, shown_shares):
    """Range of every hidden count given everything published. Returns {key: (low, high)}."""
    hidden = [k for k, v in shown.items() if isinstance(v, str)]
    index = {k: i for i, k in enumerate(hidden)}
    n = len(hidden)
    bounds = [(0, LIMIT - 1) if shown[k].startswith("<") else (LIMIT, None) for k in hidden]
    a_eq, b_eq = [], []

    def equation(terms, constant):
        row = np.zeros(n)
        rhs = -constant
        for key, coefficient in terms:
            if key in index:
                row[index[key]] += coefficient
            else:
                rhs -= coefficient * shown[key]
        a_eq.append(row)
        b_eq.append(rhs)

    for relation in relations:
        equation([(relation.total, -1.0)] + [(p, 1.0) for p in relation.parts], 0.0)
    ub, ub_rhs = [], []
    for value in shown_rates.values():
        if value == "..":
            continue
        rate, count_key, population = value  # rounded to 0.1: the count is within ±0.05 of the rate
        if count_key in index:
            for sign, edge in (
                (1, count_from_rate(rate + 0.05, population)),
                (-1, -count_from_rate(rate - 0.05, population)),
            ):
                row = np.zeros(n)
                row[index[count_key]] = sign
                ub.append(row)
                ub_rhs.append(edge)
    for value in shown_shares.values():
        if value == "..":
            continue
        share, part, total = value  # part = share/100 * total, within rounding
        for sign, s in ((1, share + 0.05), (-1, share - 0.05)):
            row = np.zeros(n)
            rhs = 0.0
            for key, coefficient in ((part, sign), (total, -sign * s / 100)):
                if key in index:
                    row[index[key]] += coefficient
                else:
                    rhs -= coefficient * shown[key]
            ub.append(row)
            ub_rhs.append(rhs)
    kwargs = {"bounds": bounds, "method": "highs"}
    if a_eq:
        kwargs.update(A_eq=np.array(a_eq), b_eq=np.array(b_eq))
    if ub:
        kwargs.update(A_ub=np.array(ub), b_ub=np.array(ub_rhs))
    ranges = {}
    for key, i in index.items():
        c = np.zeros(n)
        c[i] = 1
        low, high = linprog(c, **kwargs), linprog(-c, **kwargs)
        assert low.status == 0, "the published table must be consistent"
        ranges[key] = (low.fun, -high.fun if high.status == 0 else math.inf)
    return ranges


def recovered(ranges):
    return {
        k: math.ceil(lo - 1e-6)
        for k, (lo, hi) in ranges.items()
        if math.isfinite(hi) and math.floor(hi + 1e-6) <= math.ceil(lo - 1e-6)
    }


def run(values, relations, rates=None, shares=None):
    derived = {k: (c,) for k, (c, _) in (rates or {}).items()}
    derived.update({k: (p, t) for k, (p, t) in (shares or {}).items()})
    protected = protect(values, relations, LIMIT, derived=derived)
    before = recovered(attack(*_published(values, relations, rates, shares, None)))
    after = recovered(attack(*_published(values, relations, rates, shares, protected)))
    return protected, before, after


def _published(values, relations, rates, shares, protected):
    shown, shown_rates, shown_shares = publish(values, relations, rates, shares, protected)
    return shown, relations, shown_rates, shown_shares


def test_a_category_breakdown_with_its_total():
    values = {"total": 57, "våld": 3, "stöld": 20, "skadegörelse": 34}
    relations = [Relation("total", ("våld", "stöld", "skadegörelse"))]
    protected, before, after = run(values, relations)
    assert before == {"våld": 3}  # primary suppression alone: 57 - 20 - 34
    assert after == {}
    assert protected.complementary == {"stöld"}  # the smallest other cell of the margin
    assert protected.text("våld") == "<5" and protected.text("stöld") == ".."


def test_women_and_men_adding_up_to_a_small_total_hide_the_total_too():
    # 0 + 5 = 5: "<5" + ".." (at least 5) = 5 pins both, so the total must go as well.
    values = {"alla": 5, "kvinnor": 0, "män": 5}
    relations = [Relation("alla", ("kvinnor", "män"))]
    protected, before, after = run(values, relations)
    assert before and after == {}
    assert "alla" in protected.complementary


def test_a_county_minus_its_other_municipalities_on_the_same_page():
    values = {"län": 1_210, "A": 2, "B": 450, "C": 300, "D": 458}
    relations = [Relation("län", ("A", "B", "C", "D"))]
    protected, before, after = run(values, relations)
    assert before == {"A": 2} and after == {}


def test_a_two_way_table_with_row_column_and_grand_totals():
    rows, cols = ["våld", "stöld", "skadegörelse"], ["kvinnor", "män"]
    cells = {("våld", "kvinnor"): 2, ("våld", "män"): 14, ("stöld", "kvinnor"): 22, ("stöld", "män"): 31,
             ("skadegörelse", "kvinnor"): 9, ("skadegörelse", "män"): 3}  # fmt: skip
    values = dict(cells)
    relations = []
    for r in rows:
        values[(r, "alla")] = sum(cells[(r, c)] for c in cols)
        relations.append(Relation((r, "alla"), tuple((r, c) for c in cols)))
    for c in cols:
        values[("alla", c)] = sum(cells[(r, c)] for r in rows)
        relations.append(Relation(("alla", c), tuple((r, c) for r in rows)))
    values[("alla", "alla")] = sum(cells.values())
    relations.append(Relation(("alla", "alla"), tuple(("alla", c) for c in cols)))
    relations.append(Relation(("alla", "alla"), tuple((r, "alla") for r in rows)))
    protected, before, after = run(values, relations)
    assert before and after == {}
    assert len(protected.primary) == 2


def test_rates_and_shares_of_a_hidden_count_are_hidden_too():
    values = {"total": 57, "våld": 3, "stöld": 20, "skadegörelse": 34}
    relations = [Relation("total", ("våld", "stöld", "skadegörelse"))]
    rates = {f"{k} per 100 000": (k, 48_000) for k in values}
    shares = {f"andel {k}": (k, "total") for k in ("våld", "stöld", "skadegörelse")}
    protected, before, after = run(values, relations, rates, shares)
    assert after == {}
    assert protected.hidden("våld per 100 000") and protected.hidden("andel våld")
    assert protected.hidden("stöld per 100 000")  # a complementary count's rate would give it back too
    assert not protected.hidden("total per 100 000") and not protected.hidden("andel skadegörelse")
    # without hiding the rate, the rate alone gives the count back
    shown, _, _ = publish(values, relations, protected=protected)
    leaky_rates = {"våld per 100 000": (round(rate_per_100k(3, 48_000), 1), "våld", 48_000)}
    # (and then the complementary cell falls too: 57 - 34 - 3)
    assert set(recovered(attack(shown, relations, leaky_rates, {}))) == {"våld", "stöld"}


@pytest.mark.parametrize("seed", range(25))
def test_no_hidden_cell_of_a_random_breakdown_can_be_recovered(seed):
    rng = np.random.default_rng(seed)
    n_groups, n_parts = int(rng.integers(1, 4)), int(rng.integers(2, 6))
    values, relations = {}, []
    for g in range(n_groups):
        parts = {(g, p): int(v) for p, v in enumerate(rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 40], n_parts))}
        values.update(parts)
        values[(g, "total")] = sum(parts.values())
        relations.append(Relation((g, "total"), tuple(parts)))
    values["all"] = sum(values[(g, "total")] for g in range(n_groups))
    relations.append(Relation("all", tuple((g, "total") for g in range(n_groups))))
    rates = {(k, "rate"): (k, 10_000 + 1_000 * i) for i, k in enumerate(values)}
    protected, before, after = run(values, relations, rates)
    assert before  # primary suppression alone leaks here (the check has something to catch)
    assert after == {}, (values, protected)


def test_official_sources_need_no_suppression_local_figures_do():
    assert not needs_suppression("bra") and not needs_suppression("Kolada") and not needs_suppression("scb")
    assert needs_suppression("local") and needs_suppression("socialtjänsten")


def test_nothing_small_nothing_hidden():
    protected = protect({"t": 30, "a": 10, "b": 20}, [Relation("t", ("a", "b"))], LIMIT)
    assert not protected.primary and not protected.complementary and protected.note == ""
