"""Computations of the dialog that need no database: hex-cell counts with small-cell suppression,
breakdowns, and the feeling-vs-parameter analysis. Tests and the benchmark call these directly.

Honest uncertainty: residents choose to answer, so submissions are not a sample of anyone; they show where
and why those who answered feel unsafe. The analysis therefore reports shares with 95 % intervals (Wilson)
and differences with Newcombe's interval, names the number of comparisons made, and calls a difference
"clear" only when its interval excludes zero after a Bonferroni correction.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Z95 = 1.959964


def cell_counts(cells: Iterable[int | None]) -> Counter:
    return Counter(c for c in cells if c is not None)


def suppress(counts: Mapping, k: int) -> tuple[dict, int]:
    """(counts of k or more, how many units were hidden). A count below k is not shown at all, not even
    as "fewer than k", so a cell's existence does not leak."""
    shown = {key: n for key, n in counts.items() if n >= k}
    return shown, sum(n for key, n in counts.items() if n < k)


def breakdown(values: Iterable[str], labels: Mapping[str, str]) -> list[tuple[str, str, int]]:
    """[(code, label, count)] in the order of `labels`, plus "Ej angivet" for blanks; codes never seen are
    listed with 0 so that the table's shape does not depend on the data."""
    counts = Counter(values)
    rows = [(code, label, counts.get(code, 0)) for code, label in labels.items()]
    if counts.get("", 0):
        rows.append(("", "Ej angivet", counts[""]))
    return rows


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def newcombe(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """Difference of proportions p1 - p2 with Newcombe's hybrid score interval (method 10)."""
    p1 = x1 / n1 if n1 else 0.0
    p2 = x2 / n2 if n2 else 0.0
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p1 - p2
    lower = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, lower, upper


def z_for(comparisons: int) -> float:
    """Two-sided normal quantile for 95 % family-wise confidence over `comparisons` (Bonferroni)."""
    from statistics import NormalDist

    alpha = 0.05 / max(1, comparisons)
    return NormalDist().inv_cdf(1 - alpha / 2)


@dataclass
class ParameterRow:
    code: str
    label: str
    dark_named: int  # submissions about evening/night naming this parameter
    dark_n: int
    day_named: int
    day_n: int
    difference: float  # share after dark minus share in daytime
    lower: float
    upper: float
    clear: bool  # the Bonferroni-corrected interval excludes zero


def dark_vs_day(rows: Sequence[tuple[str, Sequence[str]]], labels: Mapping[str, str]) -> list[ParameterRow]:
    """Which parameters (categories) go with feeling unsafe after dark: for each category, the share of
    evening/night submissions naming it against the share of daytime submissions naming it.
    `rows` is [(time_of_day, categories)]."""
    dark = [set(cats) for when, cats in rows if when in ("kvall", "natt")]
    day = [set(cats) for when, cats in rows if when == "dag"]
    z_family = z_for(len(labels))
    result = []
    for code, label in labels.items():
        x1, x2 = sum(code in c for c in dark), sum(code in c for c in day)
        d, lo, hi = newcombe(x1, len(dark), x2, len(day))
        _, lo_f, hi_f = newcombe(x1, len(dark), x2, len(day), z_family)
        clear = bool(dark and day) and (lo_f > 0 or hi_f < 0)
        result.append(ParameterRow(code, label, x1, len(dark), x2, len(day), d, lo, hi, clear))
    return sorted(result, key=lambda r: -r.difference)


@dataclass
class Correlation:
    parameter: str
    n: int
    rho: float | None
    lower: float | None
    upper: float | None


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> tuple[float | None, float | None, float | None]:
    """Spearman's rho with a Fisher-z 95 % interval (SE 1.06/sqrt(n-3), Fieller et al.); None when n < 5
    or a variable does not vary."""
    n = len(xs)
    if n < 5:
        return None, None, None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / n, sum(ry) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None, None, None
    rho = max(-0.999999, min(0.999999, sxy / math.sqrt(sxx * syy)))
    z = math.atanh(rho)
    half = Z95 * 1.06 / math.sqrt(n - 3)
    return rho, math.tanh(z - half), math.tanh(z + half)


def feeling_vs_parameters(rows: Sequence[tuple[float, Mapping[str, float]]]) -> list[Correlation]:
    """For audits with an overall feeling score and parameter scores (a walk's findings: lighting,
    openness, visibility …, each 1–5): Spearman's rho between each parameter and the feeling."""
    names = sorted({name for _, params in rows for name in params})
    result = []
    for name in names:
        pairs = [(params[name], feeling) for feeling, params in rows if params.get(name) is not None]
        rho, lo, hi = spearman([p for p, _ in pairs], [f for _, f in pairs])
        result.append(Correlation(name, len(pairs), rho, lo, hi))
    return result
