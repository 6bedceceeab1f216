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
- ``"monte_carlo"``: the conditional Monte Carlo test itself: all N incidents re-placed among the cells B
  times (default 999; multinomial, drawn exactly by Poisson splitting, see :class:`_Replacer`), the
  neighbourhood counts of every cell in every replication as one sparse-weights × (cells × B) product, pseudo
  p-values (1 + #{L_sim ≥ L_obs}) / (B + 1). It shares nothing with the exact path but the null, so each
  checks the other. With many cells it cannot reach BH's thresholds (the 1/(B+1) floor).
- ``"monte_carlo_per_cell"``: each cell's tallies drawn from their law directly (the exact tails plus the
  simulation's noise); a cross-check only, see :func:`monte_carlo_inference`.
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

INFERENCES = ("exact", "monte_carlo", "monte_carlo_per_cell", "permutation", "normal")
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


# Mean of the Poisson part of a re-placement: N − c·sqrt(N). Any mean gives the exact law (see _Replacer);
# the margin trades the incidents placed one by one (~c·sqrt(N) per replicate, the dearer step per incident)
# against the replicates redrawn because the Poisson total exceeded N (a share of about Φ(−c)).
_POISSON_MARGIN_SD = 2.0
_GUIDE_BITS = 16  # inversion table for the equal-probability Poisson draw: 65 536 slots (uint16 indices)
_CHUNK_ELEMENTS = 1 << 19  # cells × replications simulated at a time: ~1 MB of int16 counts, in cache
_INT16_MAX = int(np.iinfo(np.int16).max)
_TAKE_BLOCK = 1 << 15  # guide-table look-ups per np.take call


def _uniform_slots(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Independent uniform 16-bit integers (uint16): the generator's raw 64-bit output cut in four, which
    is uniform bit by bit; about 2.5 times cheaper than ``rng.integers(0, 2**16, dtype=np.uint16)``."""
    size = math.prod(shape)
    return rng.bit_generator.random_raw(-(-size // 4)).view(np.uint16)[:size].reshape(shape)


class _PoissonInverse:
    """Poisson(lam) draws by inversion of the CDF, x = min{k : F(k) > u}, u uniform on [0, 1).

    u is drawn in two parts: its slot s among 2^16 equal slices of [0, 1) (16 random bits), and, only when
    needed, its position within the slot. A guide table gives x at once for every slot that lies inside one
    step of F (all but ~0.1 % of them). For the other ("boundary") slots a fresh uniform v places
    u = (s + v) / 2^16 within the slot and u is inverted by a search of F; above the tabulated support
    (F ≥ 1 − 1e-30) scipy's ppf takes over. Within a slot u is uniform and independent of s, so this is
    exact inversion at the resolution of a float64 uniform, at the cost of a 16-bit draw and a table
    look-up per count: several times cheaper than numpy's poisson or binomial, which is what makes 999
    full re-placements of a million incidents interactive."""

    def __init__(self, lam: float) -> None:
        self.lam = lam
        top = int(lam + 15.0 * math.sqrt(lam) + 30.0)
        self.cdf = np.cumsum(stats.poisson.pmf(np.arange(top + 1), lam))
        self.slots = 1 << _GUIDE_BITS
        edges = np.arange(self.slots + 1, dtype=np.float64) / self.slots
        first = np.searchsorted(self.cdf, edges[:-1], side="right")  # x at the slot's left edge
        last = np.searchsorted(self.cdf, edges[1:], side="left")  # x just below its right edge
        # int16 counts halve the memory traffic of everything downstream; -1 marks a boundary slot
        self.dtype = np.dtype(np.int16 if top < _INT16_MAX else np.int32)
        self.table = np.where(first == last, first, -1).astype(self.dtype)

    def draw(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return self.invert(_uniform_slots(shape, rng), rng)

    def invert(self, slot: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Draws for the given slots of u (uniform slots give Poisson(lam) draws)."""
        # in blocks: take() turns the uint16 slots into a temporary intp array, which then stays in cache.
        # mode="clip" skips take()'s bounds check: a uint16 slot always indexes the 2^16-entry table.
        out = np.empty(slot.shape, self.table.dtype)
        flat_slot, flat_out = slot.reshape(-1), out.reshape(-1)
        for start in range(0, flat_slot.size, _TAKE_BLOCK):
            block = slice(start, start + _TAKE_BLOCK)
            self.table.take(flat_slot[block], out=flat_out[block], mode="clip")
        boundary = np.flatnonzero(out < 0)
        if boundary.size:
            s = slot.flat[boundary].astype(np.float64)
            u = (s + rng.random(boundary.size)) / self.slots
            # rounding must not carry u to the slot's right edge (it would leave the slot, or reach 1)
            u = np.minimum(u, np.nextafter((s + 1.0) / self.slots, 0.0))
            x = np.searchsorted(self.cdf, u, side="right")
            beyond = x >= self.cdf.size
            if beyond.any():
                x[beyond] = stats.poisson.ppf(u[beyond], self.lam).astype(np.int64)
            if x.max() > np.iinfo(out.dtype).max:  # only from the far tail (F > 1 − 1e-30)
                out = out.astype(np.int32)
            out.flat[boundary] = x
        return out


def simulate_counts(
    n_total: int, probabilities: np.ndarray, permutations: int, rng: np.random.Generator
) -> np.ndarray:
    """(cells × B) integer matrix (int16 when the counts fit, else int32): B independent multinomial
    re-placements of n_total incidents among the cells (column sums exactly n_total). See
    :class:`_Replacer` for how they are drawn."""
    return _Replacer(n_total, probabilities, permutations).draw(permutations, rng)


def _column_sums(x: np.ndarray) -> np.ndarray:
    """Column sums (int64) of a C-contiguous (rows × columns) array of non-negative counts. Blocks of
    128 rows are laid side by side and summed elementwise first: ``x.sum(axis=0)`` over a few dozen
    columns pays a per-row overhead that costs several times the additions."""
    rows, columns = x.shape
    block = 128
    head = rows - rows % block
    # partial sums of at most rows / 128 values: int32 is exact for 16-bit counts up to 8 M cells
    small = x.dtype.itemsize <= 2 and head // block <= 1 << 16
    partial = x[:head].reshape(-1, block * columns).sum(axis=0, dtype=np.int32 if small else np.int64)
    return partial.reshape(block, columns).sum(axis=0, dtype=np.int64) + x[head:].sum(axis=0, dtype=np.int64)


class _Replacer:
    """Draws multinomial re-placements of N incidents over the cells, exactly, without N draws each.

    Poisson splitting: with M ~ Poisson(μ) incidents placed independently (cell j gets Poisson(μ p_j), all
    independent), the counts given M = m are Multinomial(m, p). Adding N − m further incidents placed one by
    one with probabilities p gives Multinomial(N, p) whatever m was, provided m ≤ N; a replicate with m > N is
    drawn again, which changes only the law of m. μ = N − 2√N, so ~2√N incidents are placed one by one and
    ~2.3 % of replicates are redrawn. With equal probabilities the Poisson counts come from
    :class:`_PoissonInverse`; with an exposure, from numpy's Poisson draw per cell (slower)."""

    def __init__(self, n_total: int, probabilities: np.ndarray, chunk: int) -> None:
        self.n = int(n_total)
        self.p = np.asarray(probabilities, dtype=np.float64)
        self.m = self.p.size
        self.chunk = max(1, min(chunk, _CHUNK_ELEMENTS // max(self.m, 1)))
        mu = max(0.0, self.n - _POISSON_MARGIN_SD * math.sqrt(self.n))
        self.equal = bool(np.all(self.p == self.p[0])) if self.m else True
        self.lam = mu * self.p
        self.inverse = _PoissonInverse(mu / self.m) if self.equal and mu > 0 else None
        self.cumulative = np.cumsum(self.p)

    def _poisson(self, columns: int, rng: np.random.Generator) -> np.ndarray:
        if self.inverse is not None:
            return self.inverse.draw((self.m, columns), rng)
        if not self.lam.any():
            return np.zeros((self.m, columns), dtype=np.int16)
        return rng.poisson(self.lam[:, None], (self.m, columns)).astype(np.int32)

    def _place_one_by_one(self, count: int, rng: np.random.Generator) -> np.ndarray:
        if self.equal:
            return rng.integers(0, self.m, count)
        u = rng.random(count) * self.cumulative[-1]
        return np.minimum(np.searchsorted(self.cumulative, u, side="right"), self.m - 1)

    def draw(self, columns: int, rng: np.random.Generator) -> np.ndarray:
        """(cells × columns) counts, each column a Multinomial(N, p) draw; int16 when they fit, else int32."""
        x = self._poisson(columns, rng)
        deficit = self.n - _column_sums(x)
        while (deficit < 0).any():  # rejection: the Poisson part overshot N
            again = np.flatnonzero(deficit < 0)
            redrawn = self._poisson(again.size, rng)
            if redrawn.dtype != x.dtype:
                x = x.astype(np.promote_types(x.dtype, redrawn.dtype))
            x[:, again] = redrawn
            deficit[again] = self.n - _column_sums(redrawn)
        cells = self._place_one_by_one(int(deficit.sum()), rng)
        column = np.repeat(np.arange(columns), deficit)
        if x.dtype == np.int16 and int(x.max(initial=0)) + int(deficit.max(initial=0)) > _INT16_MAX:
            x = x.astype(np.int32)  # a cell could pass 16 bits
        np.add.at(
            x.reshape(-1), cells * columns + column, x.dtype.type(1)
        )  # x is C-contiguous: reshape is a view
        return x

    def chunks(self, permutations: int, rng: np.random.Generator):
        done = 0
        while done < permutations:
            b = min(self.chunk, permutations - done)
            yield self.draw(b, rng)
            done += b


def monte_carlo_inference(
    counts: np.ndarray,
    weights: sparse.csr_matrix,
    probabilities: np.ndarray,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | np.random.Generator | None = None,
    chunk: int = 1024,
    *,
    per_cell: bool = False,
) -> Inference:
    """Conditional Monte Carlo: B simulations of the null; pseudo p-values per cell.

    Default: B full re-placements of all N incidents among the study-area cells (multinomial with the null
    probabilities, drawn as :class:`_Replacer` describes, ``chunk`` replications at a time so memory stays at
    cells × chunk), the neighbourhood counts of all cells and replications as one sparse weights × (cells ×
    chunk) product, and per cell the tallies #{L_sim ≥ L_obs}, #{L_sim ≤ L_obs}, #{L_sim = 0}:
    p_hot = (1 + #≥) / (B + 1), p_cold = (1 + #≤) / (B + 1) (Besag & Clifford 1989).

    ``per_cell=True`` draws each cell's three tallies directly from their law (under re-placement each L_i
    is Binomial(N, π_i), so a cell's tallies over B independent simulations are a multinomial of B over the
    events {L = 0 < l}, {0 < L < l}, {L = l}, {L > l}): the same law per cell, different cells independent
    instead of sharing simulations. It is the exact p-value plus the simulation's noise, kept only as a
    cross-check of the re-placement path; it does not re-place anything."""
    x = np.asarray(counts, dtype=np.float64)
    if not np.allclose(x, np.round(x)):
        raise ValueError("the exact and Monte Carlo tests need whole-number counts")
    rng = np.random.default_rng(seed)
    n_total = int(round(x.sum()))
    if per_cell:
        ge, le, zero = _tallies_per_cell(x, weights, probabilities, n_total, permutations, rng)
    else:
        ge, le, zero = _tallies_by_replacement(x, weights, probabilities, n_total, permutations, rng, chunk)
    scale = permutations + 1.0
    p_hot, p_cold = (ge + 1) / scale, (le + 1) / scale
    min_cold = np.minimum(1.0, 2.0 * (zero + 1) / scale)
    method = "monte_carlo_per_cell" if per_cell else "monte_carlo"
    return Inference(_two_sided(p_hot, p_cold), p_hot, p_cold, min_cold, method, permutations)


def _tallies_by_replacement(x, weights, probabilities, n_total, permutations, rng, chunk):
    """Per cell #{L_sim ≥ L_obs}, #{L_sim ≤ L_obs}, #{L_sim = 0} over ``permutations`` full re-placements.

    The comparisons of a chunk are added elementwise into uint8 accumulators (cells × chunk; one addition
    per chunk, so at most 255 chunks between flushes) and summed over the replications at the flush: a
    per-row count over a short row costs several times more than the comparison itself. The zero tally is
    counted only for a chunk where some neighbourhood count is 0 (its minimum says so; exact either way)."""
    lag = np.rint(weights @ x)
    w_int = weights.astype(np.int32)
    w_small = weights.astype(np.int16)
    row_bound = float(np.asarray(abs(w_int).sum(axis=1)).max(initial=0))  # |L| ≤ row_bound · max count
    replacer = _Replacer(n_total, probabilities, chunk)
    shape = (x.size, replacer.chunk)
    # Observed sums capped at 32 767 for the 16-bit comparison, which runs only when every simulated sum
    # is below the cap (so a capped row compares as it should: never ≥, always ≤). Spread over the chunk:
    # comparing equal-shape contiguous arrays is one long loop.
    lag16 = np.repeat(np.minimum(lag, _INT16_MAX).astype(np.int16)[:, None], shape[1], axis=1)
    lag32 = lag.astype(np.int64)[:, None]
    acc = {key: np.zeros(shape, dtype=np.uint8) for key in ("ge", "le", "zero")}
    scratch = np.empty(shape, dtype=bool)
    totals = {key: np.zeros(x.size, dtype=np.int64) for key in acc}
    pending = 0

    def flush():
        for key, a in acc.items():
            totals[key] += a.sum(axis=1, dtype=np.int64)
            a.fill(0)

    for simulated in replacer.chunks(permutations, rng):
        b = simulated.shape[1]
        bound = row_bound * float(simulated.max(initial=0))
        if simulated.dtype == np.int16 and bound < _INT16_MAX:
            sim_lag, obs = w_small @ simulated, lag16[:, :b]  # (cells × chunk) neighbourhood counts
        else:
            sim_lag, obs = w_int @ simulated.astype(np.int32), lag32
        cmp = scratch[:, :b]
        for key, op in (("ge", np.greater_equal), ("le", np.less_equal)):
            op(sim_lag, obs, out=cmp)
            a = acc[key][:, :b]
            np.add(a, cmp.view(np.uint8), out=a)
        if sim_lag.min(initial=1) == 0:
            np.equal(sim_lag, 0, out=cmp)
            a = acc["zero"][:, :b]
            np.add(a, cmp.view(np.uint8), out=a)
        pending += 1
        if pending == 255:
            flush()
            pending = 0
    flush()
    return totals["ge"], totals["le"], totals["zero"]


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
