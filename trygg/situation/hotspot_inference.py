"""Inference for Gi* that holds its error rate on sparse counts; plain numpy + scipy, no Django.

The normal approximation to Gi* (``inference="normal"``) understates the right tail of skewed, mostly-zero
counts: on incidents placed uniformly at random it produced "hot" cells in most runs of a sparse map. This
module gives p-values under an explicit null hypothesis instead: *the N incidents of the period were placed
independently among the study-area cells, each cell with probability p_j* (equal, or proportional to an
exposure such as population). Conditional on N, Gi*_i = Σ_j w_ij x_j / N orders cells exactly as the
neighbourhood count L_i = Σ_j w_ij x_j does, so everything is about L_i.

- ``"exact"`` (default): under that null L_i ~ Binomial(N, π_i) with π_i = Σ_{j in N(i)} p_j, so the p-value of
  the conditional Monte Carlo test is known in closed form: it is what the pseudo p-value converges to as the
  number of simulations grows. Unlike a pseudo p-value it is not floored at 1/(B+1), which matters because
  Benjamini-Hochberg over m cells needs p ≤ q/m for the first rejection (m = 10 000 cells at q = 0.10 needs
  p ≤ 1e-5, i.e. 100 000 simulations).
- ``"monte_carlo"``: the same null simulated B times; pseudo p-values (1 + #{L_sim ≥ L_obs}) / (B + 1). With
  many cells it cannot reach BH's thresholds. Two ways to draw, with the same law for every cell's pseudo
  p-value (see :func:`monte_carlo_inference`): ``joint=True`` re-places all N incidents B times (multinomial,
  one sparse-weights × (cells × B) product; the check of the exact path that shares nothing with it but the
  null), and the default, which draws per cell only the counts the pseudo p-value is made of.
- ``"permutation"``: PySAL/esda's conditional randomisation (x_i fixed, the neighbours' values drawn
  without replacement from the other cells, one set of random draws shared by all cells as esda does),
  vectorised; esda's "directed" pseudo p-value. For comparison with ``esda.G_Local(permutations=…)``.

Two-sided p = min(1, 2 · min(p_hot, p_cold)). References and limits: docs/hotspots.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse, stats

INFERENCES = ("exact", "monte_carlo", "monte_carlo_joint", "permutation", "normal")
DEFAULT_PERMUTATIONS = 999
# Smallest expected number of incidents in a neighbourhood (the cell and its k-ring) for the default
# scale; below it a map shows mostly zeros and ones and can say little at that scale.
MIN_EXPECTED_PER_NEIGHBOURHOOD = 5.0
# Candidate (resolution, k), finest neighbourhood first. Average H3 cell areas (km²): r7 5.16, r8 0.737,
# r9 0.105; a k-ring holds 1 + 3k(k+1) cells, so the neighbourhoods cover about 0.74, 2.0, 5.2, 14, 36 km².
SCALES = ((9, 1), (9, 2), (8, 1), (8, 2), (7, 1))
_CELL_KM2 = {7: 5.161, 8: 0.7373, 9: 0.1053}


def ring_size(k: int) -> int:
    return 1 + 3 * k * (k + 1)


# --- null probabilities ------------------------------------------------------------------------------


def null_probabilities(n_cells: int, exposure: np.ndarray | None = None) -> np.ndarray:
    """p_j of the null: equal, or proportional to a non-negative exposure per cell (population, footfall).

    A cell with zero exposure can hold no incident under the null; one that does hold incidents is
    therefore as extreme as can be, which is right for footfall (incidents where nobody is) but means the
    exposure grid must cover the whole study area."""
    if exposure is None:
        return np.full(n_cells, 1.0 / n_cells) if n_cells else np.empty(0)
    e = np.asarray(exposure, dtype=np.float64)
    if e.shape != (n_cells,):
        raise ValueError("exposure must have one value per study-area cell")
    if not np.isfinite(e).all() or (e < 0).any() or not e.sum() > 0:
        raise ValueError("exposure must be finite, non-negative and not all zero")
    return e / e.sum()


# --- p-values ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inference:
    """Per cell: two-sided p, one-sided p_hot and p_cold, and the smallest two-sided p a cold spot could
    reach at this cell (an empty neighbourhood), which says whether cold spots are possible at all."""

    p: np.ndarray
    p_hot: np.ndarray
    p_cold: np.ndarray
    min_cold_p: np.ndarray
    method: str
    permutations: int | None = None


def _two_sided(p_hot: np.ndarray, p_cold: np.ndarray) -> np.ndarray:
    return np.minimum(1.0, 2.0 * np.minimum(p_hot, p_cold))


def exact_inference(counts: np.ndarray, weights: sparse.csr_matrix, probabilities: np.ndarray) -> Inference:
    """Binomial tails of L_i under multinomial placement of the N incidents (the limit of the MC test)."""
    x = np.asarray(counts, dtype=np.float64)
    if not np.allclose(x, np.round(x)):
        raise ValueError("the exact and Monte Carlo tests need whole-number counts")
    n_total = int(round(x.sum()))
    lag = np.rint(weights @ x)
    pi = np.clip(weights @ probabilities, 0.0, 1.0)
    p_hot = stats.binom.sf(lag - 1, n_total, pi)  # P(L >= lag)
    p_cold = stats.binom.cdf(lag, n_total, pi)  # P(L <= lag)
    min_cold = np.minimum(1.0, 2.0 * stats.binom.pmf(0, n_total, pi))
    return Inference(_two_sided(p_hot, p_cold), p_hot, p_cold, min_cold, "exact")


def simulate_counts(
    n_total: int, probabilities: np.ndarray, permutations: int, rng: np.random.Generator
) -> np.ndarray:
    """(cells × B) int32 matrix: B independent multinomial re-placements of n_total incidents."""
    return rng.multinomial(n_total, probabilities, size=permutations).astype(np.int32).T


def monte_carlo_inference(
    counts: np.ndarray,
    weights: sparse.csr_matrix,
    probabilities: np.ndarray,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | np.random.Generator | None = None,
    chunk: int = 250,
    *,
    joint: bool = False,
) -> Inference:
    """Conditional Monte Carlo: B simulations of the null; pseudo p-values per cell.

    A cell's pseudo p-values are made of three tallies over the B simulations: how many simulated
    neighbourhood counts were ≥ the observed one (p_hot), ≤ it (p_cold), and 0 (the smallest cold p). Under
    multinomial re-placement each simulated L_i is Binomial(N, π_i) and the B simulations are independent,
    so a cell's tallies together follow a multinomial over the four events {L < l_i, L = 0}, {0 < L < l_i},
    {L = l_i}, {L > l_i} with B trials. The default draws exactly that, once per cell: each cell's pseudo
    p-values have the same law as with full re-placement (same B, same floor 1/(B+1), same sampling error);
    what differs is only that different cells' tallies are drawn independently instead of from shared
    simulations (BH holds under independence). It costs one small multinomial per cell instead of
    B × cells binomial draws (1M incidents, 13 000 cells, B = 999: ~0.05 s instead of ~1.5 s).

    ``joint=True`` re-places all N incidents B times (a multinomial over the cells, simulated in chunks of
    ``chunk`` replications so memory stays at cells × chunk): slower, but it shares nothing with the exact
    path except the null itself, so it is the independent check of both (tests compare the two)."""
    x = np.asarray(counts, dtype=np.float64)
    if not np.allclose(x, np.round(x)):
        raise ValueError("the exact and Monte Carlo tests need whole-number counts")
    rng = np.random.default_rng(seed)
    n_total = int(round(x.sum()))
    if joint:
        ge, le, zero = _tallies_by_replacement(x, weights, probabilities, n_total, permutations, rng, chunk)
    else:
        ge, le, zero = _tallies_per_cell(x, weights, probabilities, n_total, permutations, rng)
    scale = permutations + 1.0
    p_hot, p_cold = (ge + 1) / scale, (le + 1) / scale
    min_cold = np.minimum(1.0, 2.0 * (zero + 1) / scale)
    return Inference(_two_sided(p_hot, p_cold), p_hot, p_cold, min_cold, "monte_carlo", permutations)


def _tallies_by_replacement(x, weights, probabilities, n_total, permutations, rng, chunk):
    lag = (weights @ x).astype(np.int64)
    w_int = weights.astype(np.int32)
    ge = np.zeros(x.size, dtype=np.int64)
    le = np.zeros(x.size, dtype=np.int64)
    zero = np.zeros(x.size, dtype=np.int64)
    done = 0
    while done < permutations:
        b = min(chunk, permutations - done)
        sim_lag = w_int @ simulate_counts(n_total, probabilities, b, rng)
        ge += (sim_lag >= lag[:, None]).sum(axis=1)
        le += (sim_lag <= lag[:, None]).sum(axis=1)
        zero += (sim_lag == 0).sum(axis=1)
        done += b
    return ge, le, zero


def _tallies_per_cell(x, weights, probabilities, n_total, permutations, rng):
    """(ge, le, zero) per cell drawn from their joint law: a multinomial of B over four events of
    L ~ Binomial(N, π_i), drawn as successive conditional binomials (vectorised over cells)."""
    lag = np.rint(weights @ x)
    pi = np.clip(weights @ probabilities, 0.0, 1.0)
    p_zero = stats.binom.pmf(0, n_total, pi)
    p_below = stats.binom.cdf(lag - 1, n_total, pi)  # P(L < l), includes L = 0 when l > 0
    p_equal = stats.binom.pmf(lag, n_total, pi)
    p_above = np.clip(1.0 - p_below - p_equal, 0.0, 1.0)  # P(L > l)
    p_above = np.where(p_above < 1e-12, stats.binom.sf(lag, n_total, pi), p_above)  # no cancellation
    # Events in order: {L = 0 < l}, {0 < L < l}, {L = l}, {L > l}; their probabilities sum to 1.
    zero_below = np.where(lag > 0, p_zero, 0.0)
    events = np.stack([zero_below, np.clip(p_below - zero_below, 0.0, 1.0), p_equal, p_above], axis=1)
    events /= events.sum(axis=1, keepdims=True)
    tally = np.zeros_like(events, dtype=np.int64)
    left = np.full(x.size, permutations, dtype=np.int64)
    remaining = np.ones(x.size)
    for j in range(3):
        share = np.divide(events[:, j], remaining, out=np.zeros(x.size), where=remaining > 0)
        tally[:, j] = rng.binomial(left, np.clip(share, 0.0, 1.0))
        left -= tally[:, j]
        remaining -= events[:, j]
    tally[:, 3] = left
    ge = tally[:, 2] + tally[:, 3]
    le = tally[:, 0] + tally[:, 1] + tally[:, 2]
    zero = np.where(lag > 0, tally[:, 0], tally[:, 2])  # when l = 0, L = 0 is the event L = l
    return ge, le, zero


def _ordered_samples(n_pool: int, size: int, permutations: int, rng: np.random.Generator) -> np.ndarray:
    """(B × size) indices into range(n_pool), each row a uniformly random ordered sample without
    replacement (rejection of the rare repeats; size is a k-ring, tiny next to the pool)."""
    out = np.empty((permutations, size), dtype=np.int64)
    for col in range(size):
        draw = rng.integers(0, n_pool, permutations)
        while True:
            clash = (out[:, :col] == draw[:, None]).any(axis=1)
            if not clash.any():
                break
            draw[clash] = rng.integers(0, n_pool, int(clash.sum()))
        out[:, col] = draw
    return out


def permutation_inference(
    counts: np.ndarray,
    weights: sparse.csr_matrix,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | np.random.Generator | None = None,
    chunk_cells: int = 256,
) -> Inference:
    """esda's conditional randomisation for G_Local(star=True), vectorised over cells.

    For cell i with c_i neighbours besides itself, replication b takes x_i plus the values of the first c_i
    of one random ordered sample of the other cells (the same sample for every cell, as esda's
    vec_permutations). p is esda's "directed" pseudo p-value: (1 + min(#≥, #<)) / (B + 1), from the side
    the observation lies on; p_hot/p_cold are the one-sided versions."""
    x = np.asarray(counts, dtype=np.float64)
    n = x.size
    rng = np.random.default_rng(seed)
    card = np.diff(weights.indptr) - 1  # neighbours besides self (binary weights, self included)
    lag = weights @ x
    max_card = int(card.max()) if n else 0
    if n < 2 or max_card <= 0:
        ones = np.ones(n)
        return Inference(ones, ones, ones, ones, "permutation", permutations)
    ids = _ordered_samples(n - 1, max_card, permutations, rng)  # indices into x without cell i
    ge = np.empty(n, dtype=np.int64)
    le = np.empty(n, dtype=np.int64)
    zero_possible = np.empty(n, dtype=np.int64)
    slots = np.arange(max_card)
    shifted = x[np.minimum(ids + 1, n - 1)]
    plain = x[ids]
    for start in range(0, n, chunk_cells):
        cells = np.arange(start, min(n, start + chunk_cells))
        # index r into "x without i" is r when r < i, else r + 1
        vals = np.where(ids[None, :, :] < cells[:, None, None], plain[None], shifted[None])
        vals = vals * (slots[None, None, :] < card[cells, None, None])
        sim = vals.sum(axis=2) + x[cells, None]
        obs = lag[cells, None]
        # a tolerance for the float sums: equal lags must count as equal
        tol = 1e-9 * np.maximum(1.0, np.abs(obs))
        ge[cells] = (sim >= obs - tol).sum(axis=1)
        le[cells] = (sim <= obs + tol).sum(axis=1)
        zero_possible[cells] = (sim <= x[cells, None] + tol).sum(axis=1)
    scale = permutations + 1.0
    p_hot, p_cold = (ge + 1) / scale, (le + 1) / scale
    # esda "directed": larger = #(sim >= obs), folded to B - larger when that is smaller
    directed = (np.minimum(ge, permutations - ge) + 1) / scale
    min_cold = np.minimum(1.0, 2.0 * (zero_possible + 1) / scale)
    return Inference(directed, p_hot, p_cold, min_cold, "permutation", permutations)


# --- the scale (resolution and k) from the data --------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """The H3 resolution and ring size chosen for a map, and the Swedish sentence that says why."""

    resolution: int
    k: int
    expected: float  # expected incidents per neighbourhood if they were spread evenly
    sparse: bool  # even the coarsest candidate is below the minimum
    reason: str

    @property
    def neighbourhood_km2(self) -> float:
        return ring_size(self.k) * _CELL_KM2.get(self.resolution, float("nan"))


def _format_decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def choose_scale(
    n_incidents: int,
    cells_in_area: Mapping[int, int],
    min_expected: float = MIN_EXPECTED_PER_NEIGHBOURHOOD,
    scales: tuple[tuple[int, int], ...] = SCALES,
) -> Scale:
    """The finest neighbourhood (resolution, k) in ``scales`` whose expected count, if the incidents were
    spread evenly over the study area, is at least ``min_expected``; the coarsest candidate when none is.

    ``cells_in_area`` maps each resolution to the number of study-area cells at it (e.g.
    ``len(Boundary.cells(r))``). Fixed rule, never a search for the scale with the most hot spots: trying
    scales until something is significant would bring back the false hot spots this module removes."""
    if n_incidents < 0:
        raise ValueError("n_incidents must be non-negative")
    candidates = [(r, k) for r, k in scales if cells_in_area.get(r)]
    if not candidates:
        raise ValueError("cells_in_area has no cell count for any candidate resolution")
    chosen = None
    for r, k in candidates:
        expected = n_incidents * ring_size(k) / cells_in_area[r]
        if expected >= min_expected:
            chosen = (r, k, expected, False)
            break
    if chosen is None:
        r, k = candidates[-1]
        chosen = (r, k, n_incidents * ring_size(k) / cells_in_area[r], True)
    r, k, expected, too_sparse = chosen
    size = ring_size(k) * _CELL_KM2.get(r, float("nan"))
    base = (
        f"Kartan använder H3-upplösning {r} och grannskap k = {k} (en cell och dess {ring_size(k) - 1} "
        f"närmaste grannar, ungefär {_format_decimal(size)} km²): med {n_incidents} händelser blir det i "
        f"genomsnitt {_format_decimal(expected)} händelser per grannskap"
    )
    if too_sparse:
        reason = (
            f"{base}, färre än {_format_decimal(min_expected)} även i den grövsta skalan. Så få händelser räcker "
            "sällan för att visa säkra koncentrationer; välj en längre period eller fler kategorier."
        )
    elif (r, k) == candidates[0]:
        reason = f"{base}, tillräckligt för den finaste skalan."
    else:
        reason = (
            f"{base}. Finare skalor hade gett färre än {_format_decimal(min_expected)} per grannskap, och "
            "då går det inte att skilja en koncentration från slumpen."
        )
    return Scale(r, k, expected, too_sparse, reason)


def expected_per_neighbourhood(n_incidents: int, n_cells: int, k: int) -> float:
    return n_incidents * ring_size(k) / n_cells if n_cells else math.nan
