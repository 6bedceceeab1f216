"""Hotspot statistics for the lägesbild: plain numpy + h3 + scipy, no Django.

Inputs are arrays (H3 cell ids as int64); the Django side queries the incidents, passes the arrays in and
renders what comes out. Methods, choices and references: docs/hotspots.md. Comparisons over time (period
comparison, aoristic weekday × hour) live in trygg.situation.temporal.

- :func:`counts_per_cell` — incidents -> (cells, counts).
- :func:`gi_star` — Getis-Ord Gi* z-scores over H3 k-ring neighbourhoods (binary weights, self included),
  p-values from the conditional null of trygg.situation.hotspot_inference (exact by default; Monte Carlo,
  esda-style permutation or the old normal approximation on request), Benjamini-Hochberg classes
  (:func:`fdr_classes`); :func:`choose_scale` picks resolution and k from the data.
- :data:`hotspot_cache` — small LRU cache keyed on (period, resolution, filter), explicit invalidation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

import h3
import h3.api.numpy_int as h3_np
import numpy as np
from scipy import sparse, stats

from .hotspot_inference import (
    DEFAULT_PERMUTATIONS,
    INFERENCES,
    Inference,
    Scale,
    choose_scale,
    exact_inference,
    monte_carlo_inference,
    null_probabilities,
    permutation_inference,
)

__all__ = ["Scale", "choose_scale"]  # re-exported for the views

HOT_99, HOT_95, HOT_90 = "hot_99", "hot_95", "hot_90"
NOT_SIGNIFICANT = "not_significant"
COLD_90, COLD_95, COLD_99 = "cold_90", "cold_95", "cold_99"
CLASSES = (HOT_99, HOT_95, HOT_90, NOT_SIGNIFICANT, COLD_90, COLD_95, COLD_99)
# (FDR level q, hot class, cold class), strictest first.
FDR_LEVELS = ((0.01, HOT_99, COLD_99), (0.05, HOT_95, COLD_95), (0.10, HOT_90, COLD_90))

# Swedish labels, the same in the map legend, the table and the meeting brief. A hotspot is a cell with a
# higher concentration of incidents than the municipality as a whole ("förhöjd koncentration"); a cold spot
# one with a lower concentration. The percentage is 1 − the FDR level the cell passed.
CLASS_LABELS_SV = {
    HOT_99: "Förhöjd koncentration (99 %)",
    HOT_95: "Förhöjd koncentration (95 %)",
    HOT_90: "Förhöjd koncentration (90 %)",
    NOT_SIGNIFICANT: "Ingen säker avvikelse",
    COLD_90: "Låg koncentration (90 %)",
    COLD_95: "Låg koncentration (95 %)",
    COLD_99: "Låg koncentration (99 %)",
}


# --- counts --------------------------------------------------------------------------------------


def as_cells(cells: Any, what: str = "cells") -> np.ndarray:
    """A one-dimensional int64 array of H3 cell ids, or ValueError naming ``what``."""
    arr = np.asarray(cells)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be a one-dimensional array of H3 cell ids")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{what} must hold integer H3 cell ids (see trygg.lib.geo)")
    return arr.astype(np.int64, copy=False)


def counts_per_cell(cells: Any) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique cell ids (int64) and how many times each occurs (int64)."""
    unique, counts = np.unique(as_cells(cells), return_counts=True)
    return unique, counts.astype(np.int64)


# --- neighbourhoods ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Neighbourhood:
    """Binary k-ring weights over a sorted cell set, self included (the "star" in Gi*).

    ``matrix[i, j] == 1`` when cell j lies within k grid steps of cell i and both are in the set.
    Rows of cells at the edge of the set hold fewer than 1 + 3k(k+1) ones.
    """

    cells: np.ndarray
    k: int
    matrix: sparse.csr_matrix

    @property
    def n_neighbours(self) -> np.ndarray:
        """W_i: the row sums (neighbours in the set, self included)."""
        return np.diff(self.matrix.indptr)

    def neighbour_lists(self) -> list[np.ndarray]:
        """Per cell, the indices of its neighbours (self included), e.g. to build a libpysal W."""
        ip, ix = self.matrix.indptr, self.matrix.indices
        return [ix[ip[i] : ip[i + 1]] for i in range(len(self.cells))]


def _disks(cells: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """All k-ring members of each cell, flattened, and how many belong to each cell.

    One h3 call per cell (the loop is over cells, ~10-15k for a municipality at resolution 9, not over
    incidents)."""
    if cells.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    grid_disk = h3_np.grid_disk
    try:
        disks = [grid_disk(c, k) for c in cells.tolist()]
    except (ValueError, TypeError, OverflowError) as exc:  # h3's errors subclass ValueError
        raise ValueError(f"not a valid H3 cell id among the cells: {exc}") from None
    lengths = np.fromiter((len(d) for d in disks), dtype=np.int64, count=len(disks))
    # H3 ids are < 2**63 (top bit reserved), so the uint64 -> int64 view keeps their values.
    return np.concatenate(disks).view(np.int64), lengths


def _from_disks(cells: np.ndarray, k: int, owners: np.ndarray, flat: np.ndarray) -> Neighbourhood:
    """CSR weights over sorted ``cells`` from disk members ``flat`` of the cells at positions ``owners``
    (one entry per member); members outside ``cells`` are dropped."""
    n = cells.size
    pos = np.searchsorted(cells, flat)
    inside = pos < n
    inside[inside] = cells[pos[inside]] == flat[inside]
    rows, cols = owners[inside], pos[inside]
    # Canonical CSR: rows in order, columns sorted within each row.
    order = np.lexsort((cols, rows))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    matrix = sparse.csr_matrix((np.ones(cols.size), cols[order], indptr), shape=(n, n))
    return Neighbourhood(cells=cells, k=k, matrix=matrix)


def _build_neighbourhood(cells: np.ndarray, k: int) -> Neighbourhood:
    flat, lengths = _disks(cells, k)
    return _from_disks(cells, k, np.repeat(np.arange(cells.size), lengths), flat)


def _build_ring_neighbourhood(occupied: np.ndarray, k: int) -> Neighbourhood:
    """Default study area (occupied cells plus their k-ring) and its weights, calling grid_disk once
    per cell of the area: the occupied cells' disks give the area and are reused for the weights."""
    flat_occ, len_occ = _disks(occupied, k)
    area = np.union1d(flat_occ, occupied)
    ring = np.setdiff1d(area, occupied, assume_unique=True)
    flat_ring, len_ring = _disks(ring, k)
    owners = np.concatenate(
        [
            np.repeat(np.searchsorted(area, occupied), len_occ),
            np.repeat(np.searchsorted(area, ring), len_ring),
        ]
    )
    return _from_disks(area, k, owners, np.concatenate([flat_occ, flat_ring]))


_NEIGHBOURHOOD_CACHE: OrderedDict[tuple[str, int, str], Neighbourhood] = OrderedDict()
_NEIGHBOURHOOD_CACHE_SIZE = 8
_neighbourhood_lock = threading.Lock()


def _cached(kind: str, cells: np.ndarray, k: int, build: Callable[[np.ndarray, int], Neighbourhood]):
    key = (kind, int(k), hashlib.blake2b(cells.tobytes(), digest_size=16).hexdigest())
    with _neighbourhood_lock:
        hit = _NEIGHBOURHOOD_CACHE.get(key)
        if hit is not None:
            _NEIGHBOURHOOD_CACHE.move_to_end(key)
            return hit
    built = build(cells.copy(), int(k))
    with _neighbourhood_lock:
        _NEIGHBOURHOOD_CACHE[key] = built
        while len(_NEIGHBOURHOOD_CACHE) > _NEIGHBOURHOOD_CACHE_SIZE:
            _NEIGHBOURHOOD_CACHE.popitem(last=False)
    return built


def _sorted_unique(cells: Any, what: str) -> np.ndarray:
    arr = np.ascontiguousarray(as_cells(cells, what))
    if arr.size > 1 and not (np.diff(arr) > 0).all():
        raise ValueError(f"{what} must be sorted and unique")
    return arr


def _check_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 0:
        raise ValueError("k must be a non-negative integer")
    return int(k)


def neighbourhood(cells: Any, k: int = 1) -> Neighbourhood:
    """k-ring weights over exactly the cell set ``cells`` (sorted, unique), built once per
    (cell set, k) and kept in a small LRU cache (8 entries), so a fixed study area such as the
    municipality's cells costs the h3 calls once per process."""
    return _cached("set", _sorted_unique(cells, "cells"), _check_k(k), _build_neighbourhood)


def default_neighbourhood(occupied: Any, k: int = 1) -> Neighbourhood:
    """Weights over the default study area of :func:`study_area_cells` for these occupied cells."""
    return _cached("ring", _sorted_unique(occupied, "cells"), _check_k(k), _build_ring_neighbourhood)


def clear_neighbourhood_cache() -> None:
    with _neighbourhood_lock:
        _NEIGHBOURHOOD_CACHE.clear()


def study_area_cells(cells: Any, k: int = 1, study_area: Any | None = None) -> np.ndarray:
    """The sorted cell set Gi* is computed over.

    - ``study_area`` given (recommended: ``Boundary.cells(resolution)`` of the municipality): that set,
      plus any cell with incidents that lies outside it (a point inside the border can fall in a cell
      whose overlap test missed it; its incidents are never dropped silently).
    - ``study_area`` None: the cells with incidents plus their k-ring neighbours, with zero counts, so
      that an isolated cell is compared with the empty cells around it rather than only with other
      cells that have incidents.
    """
    arr = np.unique(as_cells(cells))
    if study_area is not None:
        return np.union1d(as_cells(study_area, "study_area"), arr)
    return default_neighbourhood(arr, k).cells


# --- Gi* -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GiStarResult:
    """Per cell of the study area (sorted by cell id): count, Gi* z-score, two-sided p, FDR class.

    ``z`` is the Gi* z-score (an effect size, equal to esda's ``Zs``); ``p`` comes from ``inference``
    (see trygg.situation.hotspot_inference). ``cold_possible`` says whether any cell could have been a
    cold spot at all (an empty neighbourhood reaching p ≤ alpha): when False the legend leaves out the cold
    classes, since they cannot fire on data this sparse."""

    cells: np.ndarray
    counts: np.ndarray
    z: np.ndarray
    p: np.ndarray
    classes: np.ndarray
    n_neighbours: np.ndarray
    k: int
    inference: str = "normal"
    permutations: int | None = None
    cold_possible: bool = True
    alpha: float = 0.10

    def __len__(self) -> int:
        return int(self.cells.size)

    def class_counts(self) -> dict[str, int]:
        return {c: int((self.classes == c).sum()) for c in CLASSES}

    def significant(self) -> np.ndarray:
        """Boolean mask of hot and cold spots."""
        return self.classes != NOT_SIGNIFICANT

    def legend_classes(self) -> tuple[str, ...]:
        """The classes the legend should offer: those allowed by ``alpha``, cold ones only when possible."""
        shown = []
        for q, hot, cold in FDR_LEVELS:
            if q <= self.alpha + 1e-12:
                shown.append(hot)
                if self.cold_possible:
                    shown.append(cold)
        order = {c: i for i, c in enumerate(CLASSES)}
        return tuple(sorted([*shown, NOT_SIGNIFICANT], key=order.__getitem__))

    def rows(self, only_significant: bool = False) -> list[dict[str, Any]]:
        """Plain dicts (cell as int and as H3 string) for templates, JSON and the list alternative
        to the map, strongest z first."""
        idx = np.flatnonzero(self.significant()) if only_significant else np.arange(len(self))
        idx = idx[np.lexsort((-np.abs(self.z[idx]), self.p[idx]))]  # smallest p, then largest |z|
        return [
            {
                "cell": int(self.cells[i]),
                "h3": h3.int_to_str(int(self.cells[i])),
                "count": float(self.counts[i]),
                "z": float(self.z[i]),
                "p": float(self.p[i]),
                "class": str(self.classes[i]),
            }
            for i in idx
        ]


def gi_star_z(counts: np.ndarray, weights: sparse.csr_matrix) -> np.ndarray:
    """Getis-Ord Gi* z-scores for binary weights that include self (Getis & Ord 1992, Ord & Getis 1995):

        z_i = (Σ_j w_ij x_j − x̄ W_i) / (S · sqrt((n W_i − W_i²) / (n − 1))),
        x̄ = Σx / n,  S = sqrt(Σx² / n − x̄²),  W_i = Σ_j w_ij.

    Where the statistic is undefined (n < 2, all counts equal so S = 0, or a neighbourhood covering the
    whole study area so W_i = n) z is 0: nothing there can be told apart from the rest.
    """
    x = np.asarray(counts, dtype=np.float64)
    n = x.size
    z = np.zeros(n)
    if n < 2:
        return z
    w_i = np.asarray(weights.sum(axis=1), dtype=np.float64).ravel()
    mean = x.sum() / n
    s = np.sqrt(max((x @ x) / n - mean * mean, 0.0))
    if s <= 1e-12 * max(abs(mean), 1.0):
        return z
    lag = weights @ x
    denom = s * np.sqrt((n * w_i - w_i * w_i) / (n - 1))
    ok = denom > 0
    z[ok] = (lag[ok] - mean * w_i[ok]) / denom[ok]
    return z


def _check_one_resolution(cells: np.ndarray) -> None:
    # Bits 52-55 of an H3 index hold the resolution.
    resolutions = np.unique((cells >> 52) & 0xF)
    if resolutions.size > 1:
        raise ValueError(f"cells mix H3 resolutions {resolutions.tolist()}")


def gi_star(
    cells: Any,
    counts: Any,
    k: int = 1,
    study_area: Any | None = None,
    alpha: float = 0.10,
    *,
    inference: str = "exact",
    exposure: tuple[Any, Any] | None = None,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | np.random.Generator | None = None,
) -> GiStarResult:
    """Getis-Ord Gi* hot and cold spots over H3 cells.

    ``cells``: unique cell ids that have incidents; ``counts``: their counts. Cells of the study area
    (see :func:`study_area_cells`) without an entry count as 0. Neighbours are the cell's k-ring within
    the study area, self included, binary weights. Classes from :func:`fdr_classes` over two-sided p:

    - ``inference="exact"`` (default): the conditional test of "the N incidents fell among the study-area
      cells at random" (equal probabilities, or proportional to ``exposure``), in closed form;
    - ``"monte_carlo"``: the same null simulated by ``permutations`` re-placements of all incidents (pseudo
      p-values); ``"monte_carlo_per_cell"``: each cell's tallies drawn from their law (a cross-check);
    - ``"permutation"``: esda's conditional randomisation (pseudo p-values; ``exposure`` not used);
    - ``"normal"``: the normal approximation (overclaims on sparse counts; kept for comparison).

    ``exposure``: (cell ids, values), e.g. population per cell; study-area cells missing from it have
    exposure 0, and a cell with incidents must have exposure > 0. Counts must be whole numbers except
    with ``"normal"``.
    """
    cell_arr = as_cells(cells)
    x_in = np.asarray(counts, dtype=np.float64)
    if x_in.shape != cell_arr.shape:
        raise ValueError("cells and counts must have the same length")
    if not np.isfinite(x_in).all() or (x_in < 0).any():
        raise ValueError("counts must be finite and non-negative")
    sorted_cells = np.sort(cell_arr)
    if (np.diff(sorted_cells) == 0).any():
        raise ValueError("cells must be unique; aggregate with counts_per_cell first")
    k = _check_k(k)
    if study_area is None:
        _check_one_resolution(sorted_cells)
        nb = default_neighbourhood(sorted_cells, k)
    else:
        area = study_area_cells(cell_arr, k, study_area)
        _check_one_resolution(area)
        nb = neighbourhood(area, k)
    area = nb.cells
    x = np.zeros(area.size)
    x[np.searchsorted(area, cell_arr)] = x_in
    z = gi_star_z(x, nb.matrix)
    if inference not in INFERENCES:
        raise ValueError(f"inference must be one of {', '.join(INFERENCES)}")
    if inference == "normal":
        p = 2.0 * stats.norm.sf(np.abs(z))
        return GiStarResult(
            cells=area,
            counts=x,
            z=z,
            p=p,
            classes=fdr_classes(z, p, alpha=alpha),
            n_neighbours=nb.n_neighbours,
            k=k,
            inference=inference,
            cold_possible=True,
            alpha=alpha,
        )
    if area.size == 0 or x.sum() == 0:
        ones = np.ones(area.size)
        inf = Inference(ones, ones, ones, ones, inference)
    elif inference == "permutation":
        inf = permutation_inference(x, nb.matrix, permutations, seed)
    else:
        probabilities = null_probabilities(area.size, _exposure_on(area, exposure, x))
        if inference == "exact":
            inf = exact_inference(x, nb.matrix, probabilities)
        else:
            per_cell = inference == "monte_carlo_per_cell"
            inf = monte_carlo_inference(x, nb.matrix, probabilities, permutations, seed, per_cell=per_cell)
    # Hot or cold by the tail the observation lies in (with exposure the expected count differs per cell).
    direction = np.sign(inf.p_cold - inf.p_hot)
    return GiStarResult(
        cells=area,
        counts=x,
        z=z,
        p=inf.p,
        classes=fdr_classes(direction, inf.p, alpha=alpha),
        n_neighbours=nb.n_neighbours,
        k=k,
        inference=inference,
        permutations=inf.permutations,
        cold_possible=bool(inf.min_cold_p.size) and bool(inf.min_cold_p.min() <= alpha),
        alpha=alpha,
    )


def _exposure_on(area: np.ndarray, exposure: tuple[Any, Any] | None, x: np.ndarray) -> np.ndarray | None:
    if exposure is None:
        return None
    e_cells = as_cells(exposure[0], "exposure cells")
    e_values = np.asarray(exposure[1], dtype=np.float64)
    if e_values.shape != e_cells.shape:
        raise ValueError("exposure cells and values must have the same length")
    out = np.zeros(area.size)
    pos = np.searchsorted(area, e_cells)
    inside = pos < area.size
    inside[inside] = area[pos[inside]] == e_cells[inside]
    out[pos[inside]] = e_values[inside]
    if ((x > 0) & ~(out > 0)).any():
        raise ValueError("every cell with incidents needs an exposure above zero")
    return out


def bh_reject(p: Any, q: float) -> np.ndarray:
    """Benjamini-Hochberg (1995) step-up at FDR level q: with p sorted ascending p_(1) ≤ … ≤ p_(m), find
    the largest k with p_(k) ≤ k·q/m and reject every hypothesis with p ≤ p_(k). NaN p never rejects."""
    p_arr = np.asarray(p, dtype=np.float64)
    m = p_arr.size
    reject = np.zeros(m, dtype=bool)
    if m == 0:
        return reject
    clean = np.where(np.isnan(p_arr), np.inf, p_arr)
    ranked = np.sort(clean)
    below = np.flatnonzero(ranked <= q * np.arange(1, m + 1) / m)
    if below.size:
        reject = clean <= ranked[below[-1]]
    return reject


def fdr_classes(z: Any, p: Any, alpha: float = 0.10) -> np.ndarray:
    """Hot/cold classes with Benjamini-Hochberg control of the false discovery rate.

    BH is run over all cells together (hot and cold share one family, p two-sided) at each level
    q in (0.01, 0.05, 0.10) that is ≤ ``alpha``. A cell rejected at q = 0.01 is hot_99/cold_99,
    else at 0.05 hot_95/cold_95, else at 0.10 hot_90/cold_90 (sign of z decides hot or cold), else
    not_significant. BH rejection sets grow with q, so the classes nest. ``alpha=0.05`` drops the 90 %
    classes.
    """
    z_arr = np.asarray(z, dtype=np.float64)
    p_arr = np.asarray(p, dtype=np.float64)
    if z_arr.shape != p_arr.shape:
        raise ValueError("z and p must have the same length")
    classes = np.full(z_arr.shape, NOT_SIGNIFICANT, dtype="<U15")
    done = np.zeros(z_arr.shape, dtype=bool)
    for q, hot, cold in FDR_LEVELS:
        if q > alpha + 1e-12:
            continue
        new = bh_reject(p_arr, q) & ~done & (z_arr != 0)
        classes[new & (z_arr > 0)] = hot
        classes[new & (z_arr < 0)] = cold
        done |= new
    return classes


# --- result cache --------------------------------------------------------------------------------

T = TypeVar("T")


class CacheKey(NamedTuple):
    """(period, resolution, filter) plus a data version.

    ``period`` is (start, end) as dates or datetimes; ``filter`` a hashable description of the incident
    filter (see :func:`cache_key`); ``version`` anything that changes when the data does (e.g. the
    latest incident's change time), so a process whose cache was not invalidated cannot serve stale
    results.
    """

    period: tuple[Any, Any]
    resolution: int
    filter: Hashable
    version: Hashable = None


def _freeze(value: Any) -> Hashable:
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        items = [_freeze(v) for v in value]
        return tuple(sorted(items, key=repr) if isinstance(value, set | frozenset) else items)
    return value


def cache_key(
    period: tuple[Any, Any],
    resolution: int,
    filter: Mapping[str, Any] | None = None,
    version: Hashable = None,
) -> CacheKey:
    """Build a :class:`CacheKey`; the filter mapping is frozen so ``{"a": [1, 2]}`` is hashable and
    key order does not matter."""
    return CacheKey(tuple(period), int(resolution), _freeze(filter or {}), _freeze(version))


class ResultCache:
    """A small thread-safe LRU dict. Values are computed outside the lock (two threads may compute the
    same key once each; the later result wins), so one slow analysis never blocks readers."""

    def __init__(self, maxsize: int = 64) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._data

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
        value = compute()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def invalidate(self, predicate: Callable[[Any], bool] | None = None) -> int:
        """Drop every entry (predicate None) or those whose key matches; return how many went."""
        with self._lock:
            doomed = [k for k in self._data if predicate is None or predicate(k)]
            for k in doomed:
                del self._data[k]
        return len(doomed)


hotspot_cache = ResultCache(maxsize=64)


def _to_datetime(value: Any) -> dt.datetime:
    if isinstance(value, np.datetime64):
        value = value.astype("datetime64[us]").item()
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    raise TypeError(f"not a date or datetime: {value!r}")


def invalidate_hotspots(when: Any | None = None, cache: ResultCache = hotspot_cache) -> int:
    """Explicit invalidation, to call after incidents are written, changed or deleted.

    ``when`` None drops everything; a date/datetime drops the entries whose period [start, end] contains
    it (a date as ``end`` means the whole day). When ``when`` and the period differ in having a time
    zone, the window is widened by a day on each side: dropping too much is harmless, too little is
    not. Keys that are not :class:`CacheKey` or have an unreadable period are dropped. Returns the
    number dropped."""
    if when is None:
        return cache.invalidate()
    moment = _to_datetime(when)

    def covers(key: Any) -> bool:
        if not isinstance(key, CacheKey):
            return True
        try:
            start, end = (_to_datetime(v) for v in key.period)
        except (TypeError, ValueError):
            return True
        if isinstance(key.period[1], dt.date) and not isinstance(key.period[1], dt.datetime):
            end += dt.timedelta(days=1)
        m = moment
        if len({start.tzinfo is None, end.tzinfo is None, m.tzinfo is None}) > 1:
            start, end, m = (v.replace(tzinfo=None) for v in (start, end, m))
            start, end = start - dt.timedelta(days=1), end + dt.timedelta(days=1)
        return start <= m <= end

    return cache.invalidate(covers)
