"""Statistics for the nulägesanalys: number formatting, rates, NTU shares, rankings and the composite.

Plain functions over plain values (numbers, dicts keyed by kommun code); no Django, no database. Every
claim the drafted report text makes comes from one of these functions or from `changes` (the change test
and trends of yearly counts), and the methods are described in docs/indicators-analysis.md. Wording is
Swedish because it goes straight into the Swedish report.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, Protocol

import numpy as np

DEFAULT_ALPHA = 0.05
NBSP = "\u00a0"  # thousands separator: a space that never breaks a number over two lines
MINUS = "\u2212"  # typographic minus, as in matplotlib's axis labels

Comparison = Literal["higher", "lower", "no_difference"]
Extreme = Literal["lowest", "highest"]


# --- Swedish number formatting ------------------------------------------------------------------------


def _round_half_up(value: float, decimals: int) -> Decimal:
    """As people round (0,0625 -> 0,063), not as binary floats do; from the shortest repr of the float."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: float, decimals: int = 0) -> str:
    """1234.5 -> "1 234,5" (non-breaking space between thousands, decimal comma, typographic minus)."""
    if value is None or not math.isfinite(value):
        return "–"
    rounded = _round_half_up(float(value), decimals)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    text = f"{rounded:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return text.replace("-", MINUS)


def format_share(value: float) -> str:
    """A percentage as the report writes it: whole numbers bare ("23"), others with one decimal ("20,5")."""
    return format_number(value, 0 if abs(value - round(value)) < 0.05 else 1)


def format_p_value(p: float, alpha: float = DEFAULT_ALPHA) -> str:
    """ "p = 0,003", "p < 0,001"; never rounded across alpha (0.0496 is "p = 0,0496", not "p = 0,05")."""
    if p < 0.001:
        return "p < " + format_number(0.001, 3)
    decimals = 2 if p >= 0.1 else 3
    while decimals < 4 and (_round_half_up(p, decimals) < Decimal(repr(alpha))) != (p < alpha):
        decimals += 1
    return "p = " + format_number(p, decimals)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Rates --------------------------------------------------------------------------------------------


def rate_per_100k(count, population):
    """Count per 100 000 inhabitants. Scalars give a float; arrays give an array (NaN counts stay NaN)."""
    counts = np.asarray(count, dtype=float)
    pops = np.asarray(population, dtype=float)
    _check_population(pops)
    if np.any(counts < 0):
        raise ValueError("Antalet kan inte vara negativt när antal per 100 000 invånare beräknas.")
    out = counts / pops * 100_000
    return float(out) if out.ndim == 0 else out


def count_from_rate(rate, population):
    """The count behind a rate per 100 000 (not rounded: published rates are rounded, so is the result)."""
    rates = np.asarray(rate, dtype=float)
    pops = np.asarray(population, dtype=float)
    _check_population(pops)
    out = rates * pops / 100_000
    return float(out) if out.ndim == 0 else out


def _check_population(pops: np.ndarray) -> None:
    if not np.all(pops > 0):  # also catches NaN
        raise ValueError(
            "Befolkningen måste vara större än noll för att antal per 100 000 invånare ska kunna beräknas "
            f"(fick {pops.tolist()})."
        )


# --- NTU shares with confidence margins ---------------------------------------------------------------


@dataclass(frozen=True)
class ShareEstimate:
    """A survey share (e.g. percent who feel unsafe) with its confidence interval.

    ``years``: the survey years the value pools, when more than one (Kolada publishes NTU for municipalities
    as two-year pooled values); the value is then labelled "2022–2023", never with a single year."""

    value: float
    low: float
    high: float
    years: tuple[int, int] | None = None

    @property
    def margin(self) -> float:
        return max(self.value - self.low, self.high - self.value)

    @property
    def standard_error(self) -> float:
        """The survey's standard error, read back from its 95 % interval: half its width / 1.96."""
        return (self.high - self.low) / 2 / Z_95

    def label(self, year: int | None = None) -> str:
        """ "2022–2023" for a pooled value, else the year given."""
        return year_label(year, self.years)


Z_95 = 1.959963984540054  # the 97.5 % quantile of the standard normal


def year_label(year: int | None, years: tuple[int, int] | None = None) -> str:
    """A value's period as the report writes it: "2023", or "2022–2023" for a pooled value."""
    if years is not None and years[0] != years[1]:
        return f"{years[0]}\u2013{years[1]}"
    if years is not None:
        return str(years[0])
    return "" if year is None else str(year)


def share_interval(
    value: float, margin: float | tuple[float, float], years: tuple[int, int] | None = None
) -> ShareEstimate:
    """From a symmetric margin (20, 3) or from explicit bounds (20, (17, 24)); Brå's bounds are asymmetric."""
    if isinstance(margin, tuple):
        low, high = (float(x) for x in margin)
    else:
        if margin < 0:
            raise ValueError(f"Felmarginalen kan inte vara negativ (fick {margin!r}).")
        low, high = max(0.0, value - margin), value + margin
    if not low <= value <= high:
        raise ValueError(f"Andelen {value!r} ligger inte inom intervallet {low!r}–{high!r}.")
    return ShareEstimate(float(value), low, high, years)


@dataclass(frozen=True)
class ShareDifference:
    """z-test of the difference of two survey shares from their published 95 % margins."""

    difference: float  # a − b, percentage points
    standard_error: float
    z: float
    p_value: float
    nested: bool  # one area contains the other (the test then treats them as independent: cautious)
    alpha: float

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha and self.difference != 0


def share_difference_test(
    a: ShareEstimate, b: ShareEstimate, *, nested: bool = False, alpha: float = DEFAULT_ALPHA
) -> ShareDifference:
    """Is share a different from share b? z = (a − b) / sqrt(SE_a² + SE_b²) with SE = margin / 1.96.

    The margins are the surveys' own 95 % intervals (which already carry NTU's design and weighting), so
    SE is read back from them; a two-sided p from the normal. For two independent samples this is the
    standard test. When one area contains the other (Kungälv in Polisregion Väst) their estimates share
    respondents and are positively correlated, so Var(a − b) is smaller than the sum and the test is
    cautious: a difference it finds holds, a small one may be missed (``nested`` records that for the text).

    Interval overlap (the old rule) is far more cautious still: 23 ± 3.5 against 27 ± 1.2 overlap, yet
    z = 2.12, p = 0.034.
    """
    from scipy import stats  # noqa: PLC0415 (scipy is only needed here)

    se = math.hypot(a.standard_error, b.standard_error)
    diff = a.value - b.value
    if se <= 0:
        z = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        p = 1.0 if diff == 0 else 0.0
    else:
        z = diff / se
        p = float(2 * stats.norm.sf(abs(z)))
    return ShareDifference(diff, se, z, p, nested, alpha)


def compare_shares(
    a: ShareEstimate, b: ShareEstimate, *, nested: bool = False, alpha: float = DEFAULT_ALPHA
) -> Comparison:
    """a relative to b: "higher"/"lower" when the z-test of the difference (share_difference_test) is
    significant at ``alpha``, else "no_difference" (worded "inom felmarginalen", never "ingen skillnad")."""
    test = share_difference_test(a, b, nested=nested, alpha=alpha)
    if not test.significant:
        return "no_difference"
    return "higher" if test.difference > 0 else "lower"


def shared_years(prev: ShareEstimate, curr: ShareEstimate, prev_year: int, curr_year: int) -> tuple[int, ...]:
    """The survey years two values have in common (pooled values "2021–2022" and "2022–2023" share 2022)."""
    a = set(range(*(prev.years[0], prev.years[1] + 1))) if prev.years else {prev_year}
    b = set(range(*(curr.years[0], curr.years[1] + 1))) if curr.years else {curr_year}
    return tuple(sorted(a & b))


def describe_share_change(
    prev: ShareEstimate, curr: ShareEstimate, prev_year: int, curr_year: int, subject: str
) -> str:
    """ "Andelen … har ökat från 20 procent 2022 till 23 procent 2023, en skillnad som ligger inom felmarginalen."

    Two values that share survey years (pooled "2021–2022" against "2022–2023") are not independent samples:
    the change is described, not tested."""
    prev_label, curr_label = prev.label(prev_year), curr.label(curr_year)
    if curr.value == prev.value:
        return _capitalise(
            f"{subject} var {format_share(curr.value)} procent både {prev_label} och {curr_label}."
        )
    verb, noun = ("ökat", "ökning") if curr.value > prev.value else ("minskat", "minskning")
    text = (
        f"{subject} har {verb} från {format_share(prev.value)} procent {prev_label} till "
        f"{format_share(curr.value)} procent {curr_label}"
    )
    if common := shared_years(prev, curr, prev_year, curr_year):
        years = " och ".join(str(y) for y in common)
        return _capitalise(
            f"{text}; båda värdena bygger delvis på svaren från {years}, så skillnaden kan inte prövas "
            "statistiskt."
        )
    test = share_difference_test(curr, prev)
    if not test.significant:
        return _capitalise(
            f"{text}, en skillnad som ligger inom felmarginalen ({format_p_value(test.p_value)})."
        )
    return _capitalise(f"{text}, en statistiskt säkerställd {noun} ({format_p_value(test.p_value)}).")


def describe_share_comparison(
    a: ShareEstimate, b: ShareEstimate, a_where: str, b_where: str, subject: str, *, nested: bool = False
) -> str:
    """ "Andelen … är lägre i Kungälv (18 procent) än i riket (28 procent); skillnaden är statistiskt säkerställd …".

    `a_where`/`b_where` carry their preposition ("i Kungälv", "bland kvinnorna"). `nested`: a's area lies
    inside b's (the kommun in its polisregion or in riket); the sentence then says the test is cautious.
    """
    if a.value == b.value:
        return _capitalise(f"{subject} är {format_share(a.value)} procent både {a_where} och {b_where}.")
    word = "högre" if a.value > b.value else "lägre"
    text = f"{subject} är {word} {a_where} ({format_share(a.value)} procent) än {b_where} ({format_share(b.value)} procent)"
    test = share_difference_test(a, b, nested=nested)
    p_text = format_p_value(test.p_value)
    if not test.significant:
        caution = (
            f"; {a_where.removeprefix('i ')} ingår i jämförelseområdet, så testet är försiktigt"
            if nested
            else ""
        )
        return _capitalise(f"{text}, men skillnaden ligger inom felmarginalen ({p_text}{caution}).")
    return _capitalise(f"{text}; skillnaden är statistiskt säkerställd ({p_text}).")


# --- Ranking among all kommuner -----------------------------------------------------------------------


@dataclass(frozen=True)
class RankResult:
    code: str
    value: float
    rank: int  # competition rank: 1 + number strictly better; ties share the best rank ("1, 2, 2, 4")
    of: int  # number of kommuner ranked (missing values excluded)
    quartile: int  # 1 = the best quarter … 4 = the worst quarter (rule in rank())
    tied_with: tuple[str, ...]
    higher_is_better: bool

    @property
    def extreme(self) -> Extreme | None:
        """ "lowest"/"highest" when the kommun is among the 25 % with the lowest/highest values, else None."""
        if self.quartile == 1:
            return "highest" if self.higher_is_better else "lowest"
        if self.quartile == 4:
            return "lowest" if self.higher_is_better else "highest"
        return None


@dataclass(frozen=True)
class Ranking(Mapping[str, RankResult]):
    """Rank results by kommun code (a read-only mapping), plus the codes left out for missing values."""

    results: dict[str, RankResult]
    missing: tuple[str, ...] = ()

    def __getitem__(self, code: str) -> RankResult:
        return self.results[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)


def _present(values: Mapping[str, float | None]) -> tuple[dict[str, float], tuple[str, ...]]:
    present, missing = {}, []
    for code, value in values.items():
        if value is None or not math.isfinite(float(value)):
            missing.append(code)
        else:
            present[code] = float(value)
    return present, tuple(missing)


def rank(
    values: Mapping[str, float | None], higher_is_better: bool = False, decimals: int | None = None
) -> Ranking:
    """Rank kommuner on one indicator; rank 1 is the best.

    Ties share the best rank (competition ranking: 10, 20, 20, 30 -> 1, 2, 2, 4 when lower is better).
    `decimals` rounds before comparing, so values equal as published are tied.
    Quartiles, with n ranked kommuner, so that "bland de 25 procent …" is true however ties were broken:
      1 if the kommuner at least as good as this one (itself and its ties included) are at most n/4;
      4 if the kommuner at least as bad are at most n/4;
      otherwise 2 if rank <= n/2, else 3.
    A tie group straddling a quarter boundary is therefore not put in quartile 1 or 4.
    """
    present, missing = _present(values)
    if decimals is not None:
        present = {code: round(v, decimals) for code, v in present.items()}
    n = len(present)
    ordered = np.sort(np.fromiter(present.values(), dtype=float, count=n))
    by_value: dict[float, list[str]] = {}
    for code, value in present.items():
        by_value.setdefault(value, []).append(code)
    results: dict[str, RankResult] = {}
    for code, value in present.items():
        below = int(np.searchsorted(ordered, value, side="left"))
        above = n - int(np.searchsorted(ordered, value, side="right"))
        better, worse = (above, below) if higher_is_better else (below, above)
        position = better + 1
        if 4 * (n - worse) <= n:
            quartile = 1
        elif 4 * (n - better) <= n:
            quartile = 4
        else:
            quartile = 2 if 2 * position <= n else 3
        tied = tuple(sorted(c for c in by_value[value] if c != code))
        results[code] = RankResult(code, value, position, n, quartile, tied, higher_is_better)
    return Ranking(results, missing)


def quartile_phrase(
    result: RankResult, indicator: str, *, low_word: str = "lägst", high_word: str = "högst"
) -> str:
    """ "bland de 25 procent av kommunerna med lägst våldsbrott", or "" when not in the top or bottom quarter."""
    if result.extreme is None:
        return ""
    word = low_word if result.extreme == "lowest" else high_word
    return f"bland de 25 procent av kommunerna med {word} {indicator}"


@dataclass(frozen=True)
class PeerComparison:
    code: str
    group: str
    value: float
    peers: int  # kommuner in the group with a value, the kommun itself included
    median: float
    mean: float
    rank: RankResult  # within the group

    @property
    def difference_from_median(self) -> float:
        return self.value - self.median


def peer_comparison(
    values: Mapping[str, float | None], groups: Mapping[str, str], code: str, higher_is_better: bool = False
) -> PeerComparison:
    """The kommun against the others in its group (e.g. SKR's kommungrupp or a size class)."""
    if code not in groups:
        raise ValueError(f"Kommunen {code} saknar jämförelsegrupp.")
    present, _ = _present(values)
    if code not in present:
        raise ValueError(f"Kommunen {code} saknar värde för indikatorn.")
    group = groups[code]
    members = {c: v for c, v in present.items() if groups.get(c) == group}
    arr = np.fromiter(members.values(), dtype=float)
    ranking = rank(members, higher_is_better)
    return PeerComparison(
        code, group, present[code], len(members), float(np.median(arr)), float(np.mean(arr)), ranking[code]
    )


# --- Composite index (Öppna jämförelser style) --------------------------------------------------------


class CompositeMethod(Protocol):
    """How several indicators become one score per kommun (higher = better). Shown beside the result."""

    name: str
    description: str

    def score(
        self, inputs: Mapping[str, Mapping[str, float | None]], directions: Mapping[str, bool]
    ) -> dict[str, float]: ...


@dataclass(frozen=True)
class MinMaxEqualWeight:
    """Öppna jämförelser's method: each input min–max normalised to 0–100, then an equal-weight mean."""

    min_share: float = 0.5  # a kommun needs values for at least this share of the inputs to get a score
    name: str = "Min–max-normalisering med lika vikter"

    @property
    def description(self) -> str:
        return (
            "Varje nyckeltal normaliseras till en skala 0–100 där 100 är bäst: (värde − lägsta) / "
            "(högsta − lägsta) × 100, omvänd skala för nyckeltal där lågt är bra. Indexet är medelvärdet av "
            "de normaliserade nyckeltal som kommunen har värde för, med lika vikt; kommuner med värde för "
            f"färre än {format_number(self.min_share * 100)} procent av nyckeltalen får inget index. "
            "Nyckeltal där alla kommuner har samma värde räknas inte med. Kommunerna rangordnas sedan efter "
            "indexet (plats 1 = högst index, lika index ger samma plats)."
        )

    def normalise(self, values: Mapping[str, float | None], higher_is_better: bool) -> dict[str, float]:
        present, _ = _present(values)
        if not present:
            return {}
        low, high = min(present.values()), max(present.values())
        if high == low:
            return {}  # no spread: carries no information, left out for everyone
        scaled = {code: (v - low) / (high - low) * 100 for code, v in present.items()}
        return scaled if higher_is_better else {code: 100 - s for code, s in scaled.items()}

    def score(
        self, inputs: Mapping[str, Mapping[str, float | None]], directions: Mapping[str, bool]
    ) -> dict[str, float]:
        normalised = [self.normalise(values, directions[name]) for name, values in inputs.items()]
        needed = max(1, math.ceil(self.min_share * len(inputs)))
        codes = sorted({code for values in inputs.values() for code in values})
        scores: dict[str, float] = {}
        for code in codes:
            parts = [n[code] for n in normalised if code in n]
            if len(parts) >= needed:
                scores[code] = sum(parts) / len(parts)
        return scores


@dataclass(frozen=True)
class CompositeResult:
    scores: dict[str, float]
    ranking: Ranking
    method_name: str
    method_description: str
    excluded: tuple[str, ...]  # kommuner in the inputs without a score (too few values)


def composite_index(
    inputs: Mapping[str, Mapping[str, float | None]],
    directions: Mapping[str, bool],
    method: CompositeMethod | None = None,
) -> CompositeResult:
    """Score and rank kommuner on several indicators. `directions[indicator]` is True when higher is better."""
    if not inputs:
        raise ValueError("Indexet behöver minst ett nyckeltal.")
    missing = [name for name in inputs if name not in directions]
    if missing:
        raise ValueError(f"Riktning (högt eller lågt är bra) saknas för nyckeltal: {', '.join(missing)}.")
    method = method or MinMaxEqualWeight()
    scores = method.score(inputs, directions)
    codes = sorted({code for values in inputs.values() for code in values})
    excluded = tuple(code for code in codes if code not in scores)
    # Rounded before ranking so that floating-point noise in the mean does not break real ties.
    return CompositeResult(
        scores, rank(scores, higher_is_better=True, decimals=9), method.name, method.description, excluded
    )
