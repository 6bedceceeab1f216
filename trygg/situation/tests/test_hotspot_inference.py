"""Gi* inference that holds its error rate (trygg.situation.hotspot_inference via hotspots.gi_star).

Seeded simulations: incidents placed uniformly at random over a fixed study area (nothing to find) must give
at least one "hot" cell in at most 12 % of runs at FDR 10 %, and a planted cluster must still be found. The
p-values are checked against an independent route: scipy's binomial, a brute-force Monte Carlo and esda.
"""

import warnings

import esda
import h3
import libpysal
import numpy as np
import pytest
from scipy import stats

from trygg.situation import hotspot_inference as hi
from trygg.situation import hotspots as hs

LAT, LON = 57.8707, 11.9806


def disk_area(resolution: int, radius: int) -> np.ndarray:
    centre = h3.latlng_to_cell(LAT, LON, resolution)
    return np.array(sorted(h3.str_to_int(c) for c in h3.grid_disk(centre, radius)), dtype=np.int64)


def uniform_counts(area: np.ndarray, per_cell: float, rng: np.random.Generator) -> np.ndarray:
    n = int(round(per_cell * area.size))
    return rng.multinomial(n, np.full(area.size, 1.0 / area.size))


def hot_cells(result: hs.GiStarResult) -> int:
    return int(np.char.startswith(result.classes, "hot").sum())


def null_runs(resolution: int, radius: int, per_cell: float, runs: int, inference: str) -> list[int]:
    area = disk_area(resolution, radius)
    rng = np.random.default_rng(resolution * 1000 + int(per_cell * 100))
    out = []
    for _ in range(runs):
        x = uniform_counts(area, per_cell, rng)
        occupied = x > 0
        result = hs.gi_star(area[occupied], x[occupied], k=1, study_area=area, inference=inference)
        out.append(hot_cells(result))
    return out


# --- the error rate under the null -----------------------------------------------------------------------

NULL_CASES = [(8, 8), (9, 12)]  # (resolution, disk radius): 217 and 469 cells
DENSITIES = [0.1, 0.3, 1.0, 5.0]  # incidents per cell
RUNS = 150
LIMIT = 0.12


def upper_bound(hits: int, runs: int) -> float:
    """One-sided 95 % Clopper-Pearson upper bound of the share of runs with a hot cell."""
    return 1.0 if hits >= runs else float(stats.beta.ppf(0.95, hits + 1, runs - hits))


def lower_bound(hits: int, runs: int) -> float:
    return 0.0 if hits == 0 else float(stats.beta.ppf(0.05, hits, runs - hits + 1))


def null_hits(resolution: int, radius: int, inference: str, runs: int) -> dict[float, int]:
    """Per density: in how many of ``runs`` null maps at least one cell was classed hot at FDR 10 %."""
    return {d: sum(1 for h in null_runs(resolution, radius, d, runs, inference) if h) for d in DENSITIES}


@pytest.mark.parametrize("resolution, radius", NULL_CASES)
@pytest.mark.parametrize("inference, runs", [("exact", RUNS), ("monte_carlo", 60)])
def test_uniform_random_incidents_give_a_hot_cell_in_at_most_12_percent_of_runs(
    resolution, radius, inference, runs
):
    """Enough runs to tell: the check is that the 95 % upper confidence bound of the share stays at or
    below 12 %, not only the share itself. With 150 runs that allows at most 11 runs with a hot cell; a
    method whose true rate were 10 % (the FDR level) would fail it in most seeds."""
    hits = null_hits(resolution, radius, inference, runs)
    bounds = {d: upper_bound(h, runs) for d, h in hits.items()}
    assert all(b <= LIMIT for b in bounds.values()), (hits, bounds)


@pytest.mark.parametrize("resolution, radius", NULL_CASES)
def test_the_normal_approximation_fails_the_same_check_on_sparse_counts(resolution, radius):
    """The check above can fail: the old p-values from the normal curve, on the same seeded maps, give a
    hot cell far more often than 12 % (the 95 % lower bound is above 12 %) at sparse densities."""
    hits = null_hits(resolution, radius, "normal", RUNS)
    assert not all(upper_bound(h, RUNS) <= LIMIT for h in hits.values())
    clearly_over = [d for d, h in hits.items() if lower_bound(h, RUNS) > LIMIT]
    assert {0.1, 0.3, 1.0} <= set(clearly_over), hits


def test_a_planted_cluster_is_still_found():
    area = disk_area(9, 12)
    centre = h3.str_to_int(h3.latlng_to_cell(LAT + 0.004, LON, 9))
    cluster = np.searchsorted(area, [h3.str_to_int(c) for c in h3.grid_disk(h3.int_to_str(centre), 1)])
    rng = np.random.default_rng(11)
    found, far_false = 0, 0
    for _ in range(40):
        x = uniform_counts(area, 0.5, rng)  # sparse background
        x[cluster] += rng.poisson(3.0, cluster.size)  # about 3 extra incidents in each of 7 cells
        occupied = x > 0
        result = hs.gi_star(area[occupied], x[occupied], k=1, study_area=area)
        classes = dict(zip(result.cells.tolist(), result.classes.tolist(), strict=True))
        found += classes[centre].startswith("hot")
        far = [
            c
            for c, cls in classes.items()
            if cls.startswith("hot") and h3.grid_distance(h3.int_to_str(c), h3.int_to_str(centre)) > 2
        ]
        far_false += bool(far)
    assert found >= 36  # power ≥ 90 %
    assert far_false <= 4


# --- the p-values against independent routes ----------------------------------------------------------------


def test_exact_p_values_are_binomial_tails_of_the_neighbourhood_count():
    area = disk_area(9, 6)
    x = uniform_counts(area, 1.0, np.random.default_rng(3))
    nb = hs.neighbourhood(area, 1)
    result = hs.gi_star(area, x, k=1, study_area=area)
    n = int(x.sum())
    for i in range(0, area.size, 7):
        members = [j for j in range(area.size) if nb.matrix[i, j]]
        lag, share = int(x[members].sum()), len(members) / area.size
        hot = stats.binomtest(lag, n, share, alternative="greater").pvalue
        cold = stats.binomtest(lag, n, share, alternative="less").pvalue
        assert result.p[i] == pytest.approx(min(1.0, 2 * min(hot, cold)), rel=1e-9)


def test_monte_carlo_pseudo_p_values_converge_to_the_exact_ones():
    area = disk_area(9, 6)
    rng = np.random.default_rng(4)
    x = uniform_counts(area, 2.0, rng)
    x[:10] += 4
    exact = hs.gi_star(area, x, k=1, study_area=area)
    mc = hs.gi_star(area, x, k=1, study_area=area, inference="monte_carlo", permutations=4999, seed=5)
    assert mc.permutations == 4999
    # pseudo p estimates the exact p; sampling SE of a one-sided p is sqrt(p(1-p)/B), doubled for two-sided
    se = 2 * np.sqrt(np.maximum(exact.p / 2 * (1 - exact.p / 2), 1 / 4999) / 4999)
    assert np.all(np.abs(mc.p - exact.p) <= 5 * se + 2 / 5000)
    assert np.abs(mc.p - exact.p).max() > 0  # a simulation, not a copy


def test_exposure_changes_what_is_expected_per_cell():
    area = disk_area(9, 5)
    x = np.zeros(area.size, dtype=int)
    x[:20] = 6  # incidents where people are
    exposure = np.where(np.arange(area.size) < 20, 50.0, 1.0)
    even = hs.gi_star(area, x, k=1, study_area=area)
    weighted = hs.gi_star(area, x, k=1, study_area=area, exposure=(area, exposure))
    assert hot_cells(even) > 0
    assert hot_cells(weighted) < hot_cells(even)
    with pytest.raises(ValueError, match="exposure above zero"):
        hs.gi_star(area, x, k=1, study_area=area, exposure=(area[20:], exposure[20:]))


def esda_star(y: np.ndarray, area: np.ndarray, permutations: int, seed: int):
    index = {int(c): i for i, c in enumerate(area)}
    neighbours = {
        i: [
            index[h3.str_to_int(d)]
            for d in h3.grid_disk(h3.int_to_str(int(c)), 1)
            if h3.str_to_int(d) in index
        ]
        for i, c in enumerate(area)
    }
    neighbours = {i: [j for j in nbs if j != i] for i, nbs in neighbours.items()}
    w = libpysal.weights.W(neighbours, silence_warnings=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.G_Local(
            y.astype(float), w, transform="B", star=True, permutations=permutations, seed=seed
        )


def test_permutation_p_values_agree_with_esda_to_sampling_error():
    area = disk_area(9, 10)
    rng = np.random.default_rng(8)
    x = uniform_counts(area, 3.0, rng)
    x[np.searchsorted(area, disk_area(9, 2))] += 3  # a mild cluster, so p spans the whole range
    ours = hs.gi_star(area, x, k=1, study_area=area, inference="permutation", permutations=999, seed=1)
    g = esda_star(x, area, 999, seed=1)
    np.testing.assert_allclose(ours.z, g.Zs, atol=1e-9)
    # Two independent estimates of the same p: the difference has SD sqrt(2 p (1 - p) / B).
    sd = np.sqrt(2 * np.maximum(g.p_sim * (1 - g.p_sim), 1e-3) / 999)
    diff = ours.p - g.p_sim
    assert np.all(np.abs(diff) <= 5 * sd)
    assert abs(diff.mean()) <= 3 * sd.mean() / np.sqrt(area.size) * 3  # no bias (cells are correlated: ×3)
    assert g.p_sim.min() < 0.01 and g.p_sim.max() > 0.3


# --- cold spots, legend and the scale ---------------------------------------------------------------------


def test_cold_classes_are_left_out_of_the_legend_when_the_data_cannot_produce_them():
    area = disk_area(9, 8)
    sparse_x = uniform_counts(area, 0.2, np.random.default_rng(1))
    sparse = hs.gi_star(area, sparse_x, k=1, study_area=area)
    assert not sparse.cold_possible
    assert not any(c.startswith("cold") for c in sparse.legend_classes())
    dense_x = uniform_counts(area, 8.0, np.random.default_rng(2))
    dense_x[np.searchsorted(area, disk_area(9, 1))] = 0
    dense = hs.gi_star(area, dense_x, k=1, study_area=area)
    assert dense.cold_possible
    assert "cold_90" in dense.legend_classes()
    assert dense.classes[np.searchsorted(area, disk_area(9, 0))[0]].startswith("cold")
    assert hs.gi_star(area, dense_x, k=1, study_area=area, alpha=0.05).legend_classes() == (
        "hot_99",
        "hot_95",
        "not_significant",
        "cold_95",
        "cold_99",
    )


def test_the_scale_is_the_finest_with_enough_expected_incidents_per_neighbourhood():
    cells = {9: 10_000, 8: 1_430, 7: 205}
    # 10 000 incidents: 7 per r9 neighbourhood -> (9, 1)
    assert (hi.choose_scale(10_000, cells).resolution, hi.choose_scale(10_000, cells).k) == (9, 1)
    # 3 000: 2.1 per (9,1), 5.7 per (9,2)
    chosen = hi.choose_scale(3_000, cells)
    assert (chosen.resolution, chosen.k) == (9, 2)
    assert chosen.expected == pytest.approx(3_000 * 19 / 10_000)
    assert "k = 2" in chosen.reason and "Finare skalor" in chosen.reason
    # 200: 0.98 per (8,1) … 6.8 per (7,1)
    assert (hi.choose_scale(200, cells).resolution, hi.choose_scale(200, cells).k) == (7, 1)
    too_few = hi.choose_scale(20, cells)
    assert too_few.sparse and (too_few.resolution, too_few.k) == (7, 1) and "längre period" in too_few.reason


def test_unknown_inference_is_refused():
    area = disk_area(9, 1)
    with pytest.raises(ValueError, match="inference"):
        hs.gi_star(area, np.ones(area.size), study_area=area, inference="bootstrap")


@pytest.mark.parametrize("per_cell", [False, True])
def test_monte_carlo_tallies_have_the_law_the_exact_tails_give(per_cell):
    # Over many seeds the mean pseudo p of a cell is (1 + B·q) / (B + 1), q its exact tail probability;
    # both ways of drawing (full re-placement, and per cell) must give that for p_hot, p_cold and the
    # zero tally, including cells whose observed neighbourhood count is 0.
    area = disk_area(9, 3)
    rng = np.random.default_rng(11)
    x = uniform_counts(area, 0.6, rng)
    x[1] += 5
    x[[0] + list(hs.neighbourhood(area, 1).matrix[0].indices)] = 0  # one empty neighbourhood
    weights = hs.neighbourhood(area, 1).matrix
    n = int(x.sum())
    lag = weights @ x
    pi = weights @ hi.null_probabilities(area.size)
    assert (lag == 0).any()
    q = {
        "p_hot": stats.binom.sf(lag - 1, n, pi),
        "p_cold": stats.binom.cdf(lag, n, pi),
        "zero": stats.binom.pmf(0, n, pi),
    }
    b, runs = 49, 400
    sums = {key: np.zeros(area.size) for key in q}
    for seed in range(runs):
        inf = hi.monte_carlo_inference(
            x, weights, hi.null_probabilities(area.size), b, seed, per_cell=per_cell
        )
        sums["p_hot"] += inf.p_hot
        sums["p_cold"] += inf.p_cold
        sums["zero"] += (inf.min_cold_p * (b + 1) / 2 - 1) / b  # back to the share of zero draws
    for key, qk in q.items():
        mean = sums[key] / runs
        expected = qk if key == "zero" else (1 + b * qk) / (b + 1)
        se = np.sqrt(qk * (1 - qk) / (b * runs)) + 1e-9
        assert np.all(np.abs(mean - expected) <= 5 * se + 1e-3), (key, per_cell)


def _counts_for(case: str, area: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(12)
    if (
        case == "edge"
    ):  # every cell 4 670: observed neighbourhoods up to 32 690, a third of simulated ones above
        return np.full(area.size, 4_670)
    x = uniform_counts(area, 50.0 if case == "big" else 0.8, rng)
    x[:3] += 3  # a few raised cells, so p spans the range
    if case == "big":  # one cell with 40 000: observed neighbourhoods above 32 767, simulated ones far below
        x[5] += 40_000
    return x


@pytest.mark.parametrize(
    "case, chunk, permutations",
    [
        ("big", 1024, 999),  # observed neighbourhood counts above 32 767, capped for the 16-bit comparison
        ("edge", 1024, 999),  # observed ones fit 16 bits, simulated ones need not: the 32-bit product
        ("sparse", 1, 600),  # one replication per chunk: 600 chunks, tallies carried past 255
    ],
)
def test_monte_carlo_matches_the_exact_p_values_whatever_the_counts_and_chunks(case, chunk, permutations):
    """The re-placement path keeps counts in 16 bits and tallies in 8-bit accumulators when it can; both
    must give way (32-bit product, flush to 64-bit totals) without changing a pseudo p-value's law."""
    area = disk_area(9, 3)
    x = _counts_for(case, area)
    weights = hs.neighbourhood(area, 1).matrix
    probabilities = hi.null_probabilities(area.size)
    assert ((weights @ x).max() > 32_767) == (case == "big")
    exact = hi.exact_inference(x, weights, probabilities)
    mc = hi.monte_carlo_inference(x, weights, probabilities, permutations, seed=3, chunk=chunk)
    b = permutations
    for key in ("p_hot", "p_cold"):
        q = getattr(exact, key)
        se = np.sqrt(np.maximum(q * (1 - q), 1 / b) / b)
        assert np.all(np.abs(getattr(mc, key) - (1 + b * q) / (b + 1)) <= 5 * se), key
    assert (exact.p_cold > 0.4).any() and (exact.p_hot > 0.4).any()  # tallies near B on both sides


def test_re_placement_and_per_cell_monte_carlo_agree_on_one_map():
    area = disk_area(9, 6)
    rng = np.random.default_rng(3)
    x = uniform_counts(area, 0.5, rng)
    x[:5] += 6
    kw = {"k": 1, "study_area": area, "permutations": 1999, "seed": 1}
    per_cell = hs.gi_star(area, x, inference="monte_carlo_per_cell", **kw)
    joint = hs.gi_star(area, x, inference="monte_carlo", **kw)
    p = (per_cell.p + joint.p) / 2
    se = np.sqrt(2) * 2 * np.sqrt(np.maximum(p / 2 * (1 - p / 2), 1 / 1999) / 1999)
    assert np.all(np.abs(per_cell.p - joint.p) <= 5 * se + 2 / 2000)
    assert not np.array_equal(per_cell.p, joint.p)  # two simulations, not one copied
    assert per_cell.p.min() >= 2 / 2000  # floored at 1/(B+1), doubled for two-sided, like any pseudo p


# --- the re-placement sampler (Poisson splitting + inversion) --------------------------------------------------


def _gof_p(observed: np.ndarray, expected: np.ndarray) -> float:
    """Chi-square goodness of fit, outcomes with expected count < 5 pooled into one."""
    small = expected < 5
    obs = np.append(observed[~small], observed[small].sum())
    exp = np.append(expected[~small], expected[small].sum())
    keep = exp > 0
    return float(stats.chisquare(obs[keep], exp[keep] * obs[keep].sum() / exp[keep].sum()).pvalue)


LAMBDAS = [0.3, 7.0, 77.0, 4000.0, 40_000.0]  # the last needs 32-bit counts


@pytest.mark.parametrize("lam", LAMBDAS)
def test_the_poisson_inversion_draws_the_poisson_law(lam):
    sampler = hi._PoissonInverse(lam)
    values = sampler.draw((100_000, 4), np.random.default_rng(int(lam * 10))).ravel().astype(np.int64)
    assert (values >= 0).all()
    top = int(values.max()) + 1
    observed = np.bincount(values, minlength=top + 1).astype(float)
    expected = stats.poisson.pmf(np.arange(top + 1), lam)
    expected[-1] = stats.poisson.sf(top - 1, lam)  # the last bin holds the whole upper tail
    assert _gof_p(observed, expected * values.size) > 1e-3
    assert values.mean() == pytest.approx(lam, rel=5 * np.sqrt(1 / (lam * values.size)) + 1e-9)
    # the empirical CDF against scipy's at every value (Dvoretzky-Kiefer-Wolfowitz band, 1e-6 level)
    ecdf = np.cumsum(observed) / values.size
    band = np.sqrt(np.log(2 / 1e-6) / (2 * values.size))
    assert np.abs(ecdf - stats.poisson.cdf(np.arange(top + 1), lam)).max() <= band


@pytest.mark.parametrize("lam", LAMBDAS)
def test_the_inversion_inside_boundary_slots_follows_the_cdf(lam):
    """Only ~0.1 % of draws fall in a slot of [0, 1) that holds a step of F, too few for the test above
    to see a wrong inversion there. Here every draw is in such a slot: given slot s, x = k must have
    probability |[F(k-1), F(k)) ∩ [s, s+1) / 2^16| · 2^16, with F from scipy (not the sampler's table)."""
    sampler = hi._PoissonInverse(lam)
    slots = 1 << hi._GUIDE_BITS
    boundary = np.flatnonzero(sampler.table < 0)
    assert 0 < boundary.size < slots // 20  # the table answers all other slots at once
    per_slot = 4_000 if boundary.size < 200 else 400  # λ = 40 000 has ~1 400 boundary slots
    given = np.repeat(boundary, per_slot).astype(np.uint16)
    x = sampler.invert(given, np.random.default_rng(7)).astype(np.int64)
    lo = int(x.min())
    k = np.arange(lo, int(x.max()) + 2)
    cdf = stats.poisson.cdf(k, lam)
    below = np.append(stats.poisson.cdf(lo - 1, lam), cdf[:-1])
    left, right = boundary[:, None] / slots, (boundary[:, None] + 1) / slots
    expected = np.clip(np.minimum(cdf, right) - np.maximum(below, left), 0.0, None) * slots
    expected[:, -1] += 1.0 - expected.sum(axis=1)  # the rest of the slot (values above those seen)
    observed = np.zeros_like(expected)
    np.add.at(observed, (np.repeat(np.arange(boundary.size), per_slot), x - lo), 1)
    # every value lies where the slot allows it, and the shares follow the CDF
    assert (observed[expected <= 1e-12] == 0).all()
    assert _gof_p(observed.ravel(), expected.ravel() * per_slot) > 1e-3


def test_every_re_placement_holds_all_incidents():
    rng = np.random.default_rng(2)
    for n in (0, 1, 3, 50, 12_345):
        for p in (hi.null_probabilities(37), hi.null_probabilities(37, np.arange(37) % 5)):
            x = hi.simulate_counts(n, p, 300, rng)
            assert x.shape == (37, 300)
            assert (x.sum(axis=0) == n).all() and (x >= 0).all()
            assert not x[p == 0].any()  # a cell without exposure never gets an incident


@pytest.mark.parametrize(
    "n, probabilities",
    [
        (6, np.full(3, 1 / 3)),  # the Poisson part is empty: every incident placed one by one
        (14, np.full(3, 1 / 3)),  # a small Poisson part, rejections happen
        (9, np.array([0.5, 0.3, 0.2])),  # exposure-weighted
        (30, np.array([0.6, 0.25, 0.15])),
    ],
)
def test_re_placements_follow_the_multinomial_law_exactly(n, probabilities):
    """The whole joint law of a small case against the multinomial pmf (every outcome counted)."""
    draws = 40_000
    x = hi.simulate_counts(n, probabilities, draws, np.random.default_rng(n))
    outcomes = [(a, b, n - a - b) for a in range(n + 1) for b in range(n + 1 - a)]
    index = {o: i for i, o in enumerate(outcomes)}
    observed = np.bincount([index[tuple(c)] for c in x.T.tolist()], minlength=len(outcomes)).astype(float)
    expected = np.array([stats.multinomial.pmf(o, n, probabilities) for o in outcomes]) * draws
    assert _gof_p(observed, expected) > 1e-3


def test_re_placements_of_many_incidents_have_binomial_cells_and_negative_covariance():
    n, m, draws = 20_000, 50, 4_000
    p = hi.null_probabilities(m)
    x = hi.simulate_counts(n, p, draws, np.random.default_rng(9)).astype(float)
    mean, var = x.mean(axis=1), x.var(axis=1, ddof=1)
    se_mean = np.sqrt(n * p * (1 - p) / draws)
    assert np.all(np.abs(mean - n * p) <= 5 * se_mean)
    expected_var = n * p * (1 - p)  # Binomial(N, 1/m), not Poisson's N/m
    assert np.all(np.abs(var - expected_var) <= 5 * expected_var * np.sqrt(2 / draws))
    cov = np.cov(x[0], x[1])[0, 1]
    assert cov == pytest.approx(-n * p[0] * p[1], abs=5 * expected_var[0] / np.sqrt(draws))
