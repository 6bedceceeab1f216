"""Change tests and trends for yearly series: is this year's count different, is the series falling?

Plain functions over plain values, no Django. Reported crimes are counts, so the tests treat them as
Poisson counts — and, when a series of at least five years is at hand, as *over-dispersed* Poisson counts
(quasi-Poisson): real crime series vary more from year to year than counting noise alone (one fraud series
can add hundreds of reports), and a plain Poisson test then calls ordinary wobble "statistiskt
säkerställd". The methods and their reasons are in docs/indicators-analysis.md.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import special, stats

from .analysis import DEFAULT_ALPHA, format_number, format_p_value

Direction = Literal["increase", "decrease", "unchanged"]
TrendDirection = Literal["increasing", "decreasing", "none"]

MIN_DISPERSION_YEARS = 5  # a quadratic path leaves n - 3 degrees of freedom: at least two
DEFAULT_TREND_YEARS = 4  # "sedan 2020" in a report on 2023


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"Signifikansnivån måste ligga mellan 0 och 1 (fick {alpha!r}).")


def _level(alpha: float) -> str:
    percent = alpha * 100
    return format_number(percent, 0 if float(percent).is_integer() else 1)


# --- Over-dispersion of a yearly count series --------------------------------------------------------


@dataclass(frozen=True)
class Dispersion:
    """How much more a yearly count varies than Poisson noise: Var(count) = phi × mean (quasi-Poisson)."""

    estimate: float  # Pearson chi-square / df around the fitted path
    df: int  # degrees of freedom of the estimate (years - parameters of the path)
    years: int

    @property
    def adjusts(self) -> bool:
        """True when the series varies more than Poisson noise; otherwise the Poisson tests apply as they are
        (a count never varies less than Poisson noise, so an estimate below 1 is read as 1)."""
        return self.estimate > 1

    @property
    def phi(self) -> float:
        return max(1.0, self.estimate)

    @property
    def description(self) -> str:
        return (
            f"spridningen mellan åren skattad till φ = {format_number(self.estimate, 2)} ur {self.years} års "
            f"värden ({self.df} frihetsgrader)"
        )


def count_dispersion(
    series: Sequence[tuple[int, float | None]],
    exposure: Mapping[int, float] | None = None,
    *,
    exclude: Collection[int] = (),
) -> Dispersion | None:
    """Quasi-Poisson dispersion of a yearly count series (years in `exclude` left out); None under 3 years.

    A log-linear Poisson model of the counts (per `exposure`, e.g. population, when given) with a smooth
    path in the year — quadratic with at least five years, else a straight line — is fitted by IRLS;
    the estimate is Pearson chi-square / (n - parameters). The path absorbs a steady rise or fall and a
    turn, so what is left is the year-to-year variation the tests must allow for. A series with breaks
    fits worse and gets a larger estimate: fewer claims, never more.

    `exclude` is for the change test: the years being compared are left out, so that a large change
    cannot hide itself by inflating the spread it is judged against.
    """
    points = [p for p in _count_points(series, exposure) if p[0] not in exclude]
    n = len(points)
    if n < 3:
        return None
    parameters = 3 if n >= MIN_DISPERSION_YEARS else 2
    years = np.array([y for y, _, _ in points], dtype=float)
    counts = np.array([c for _, c, _ in points])
    offset = np.log(np.array([e for _, _, e in points]))
    if not counts.sum() > 0:
        return Dispersion(0.0, n - parameters, n)
    t = (years - years.mean()) / max(1.0, float(years.std()))
    columns = [np.ones(n), t, t * t - float(np.mean(t * t))][:parameters]
    _beta, mu, _cov = _poisson_glm(np.column_stack(columns), counts, offset)
    estimate = float(np.sum((counts - mu) ** 2 / mu)) / (n - parameters)
    return Dispersion(estimate, n - parameters, n)


def change_dispersion(
    series: Sequence[tuple[int, float | None]],
    year: int,
    exposure: Mapping[int, float] | None = None,
) -> Dispersion | None:
    """The dispersion to test the change from year - 1 to `year` with.

    From the series' other years when at least five remain (so a large change cannot hide itself by
    inflating the spread it is judged against); from the whole series when it has five or six years (the
    tested change then counts in the spread: more cautious, never less); None under five years, where the
    plain exact test is used.
    """
    present = {y for y, _, _ in _count_points(series, exposure)}
    if len(present) < MIN_DISPERSION_YEARS:
        return None
    tested = {year - 1, year}
    if len(present - tested) >= MIN_DISPERSION_YEARS:
        return count_dispersion(series, exposure, exclude=tested)
    return count_dispersion(series, exposure)


def _count_points(series, exposure: Mapping[int, float] | None) -> list[tuple[int, float, float]]:
    """(year, count, exposure), sorted; years without a count (or without exposure when given) dropped."""
    points = []
    for year, value in series:
        if value is None or not math.isfinite(float(value)):
            continue
        if value < 0:
            raise ValueError(f"Antalet för {year} kan inte vara negativt (fick {value!r}).")
        if exposure is not None:
            weight = exposure.get(year)
            if not weight or not weight > 0:
                continue
        else:
            weight = 1.0
        points.append((int(year), float(value), float(weight)))
    return sorted(points)


def _poisson_glm(x: np.ndarray, counts: np.ndarray, offset: np.ndarray):
    """Poisson log-linear regression by IRLS: (coefficients, fitted means, unscaled covariance).

    scipy has no GLM and statsmodels would be a large dependency for a two- or three-column model.
    """
    beta = np.linalg.lstsq(x, np.log(counts + 0.5) - offset, rcond=None)[0]
    for _ in range(100):
        eta = np.clip(x @ beta + offset, -700, 700)
        mu = np.exp(eta)
        try:  # Newton step = IRLS step for the canonical link
            step = np.linalg.solve(x.T @ (mu[:, None] * x), x.T @ (counts - mu))
        except np.linalg.LinAlgError:
            break
        beta = beta + step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    mu = np.exp(np.clip(x @ beta + offset, -700, 700))
    covariance = np.linalg.pinv(x.T @ (mu[:, None] * x))
    return beta, mu, covariance


# --- Change between two counts ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeResult:
    """Comparison of two Poisson counts (e.g. reported crimes last year and this year)."""

    count_prev: int
    count_curr: int
    exposure_prev: float
    exposure_curr: float
    direction: Direction  # of the rate count/exposure; says nothing about significance
    p_value: float
    significant: bool
    alpha: float
    ratio: float | None  # rate ratio current/previous; inf when the previous count is 0; None when both are
    ci_low: float | None
    ci_high: float | None
    method: str
    dispersion: Dispersion | None = None  # the over-dispersion allowed for, if any

    @property
    def ci(self) -> tuple[float, float] | None:
        return None if self.ci_low is None else (self.ci_low, self.ci_high)

    @property
    def relative_change(self) -> float | None:
        """Current rate relative to previous, minus one (-0.25 = a quarter lower)."""
        return None if self.ratio is None or math.isinf(self.ratio) else self.ratio - 1


def _as_count(value, what: str) -> int:
    if value is None or isinstance(value, bool) or not float(value).is_integer() or value < 0:
        raise ValueError(f"{what} måste vara ett heltal som är noll eller större (fick {value!r}).")
    return int(value)


def poisson_change_test(
    count_prev,
    count_curr,
    exposure_prev: float = 1.0,
    exposure_curr: float = 1.0,
    alpha: float = DEFAULT_ALPHA,
    *,
    dispersion: Dispersion | None = None,
) -> ChangeResult:
    """Two-sided test of equal Poisson rates; with `dispersion`, allowing for extra-Poisson variation.

    Plain: given n = a + b, the current count b is Bin(n, p0) under H0 with p0 = e_curr / (e_prev + e_curr).
    The p-value is the central exact p, 2 × min(P(X ≥ b), P(X ≤ b)) capped at 1, and the rate ratio's
    interval is the central Clopper–Pearson interval for the proportion, mapped through
    p / (1 - p) * e_prev / e_curr: the same method, so "significant" and "the interval excludes 1" always
    agree.

    With `dispersion` (quasi-Poisson, see count_dispersion / change_dispersion) whose estimate phi > 1:
    the log rate ratio r = log(b/e1) - log(a/e0) has variance phi × (1/a + 1/b) (0.5 is added to both
    counts when one is zero); r / SE is referred to t with the dispersion's degrees of freedom. The
    reported p is the larger of that p and the exact p, and the interval the hull of both: allowing for
    over-dispersion can only make the test more cautious. An estimate of at most 1 (no more spread than
    Poisson noise) leaves the exact test as it is.
    """
    a = _as_count(count_prev, "Antalet föregående period")
    b = _as_count(count_curr, "Antalet innevarande period")
    _check_alpha(alpha)
    if not (exposure_prev > 0 and exposure_curr > 0):
        raise ValueError(
            f"Exponeringen (t.ex. befolkningen) måste vara större än noll (fick {exposure_prev!r} och "
            f"{exposure_curr!r})."
        )
    if dispersion is None:
        method = (
            "Exakt villkorat binomialtest av två Poissonfördelade antal (tvåsidigt: dubbla den minsta "
            f"ensidiga sannolikheten, signifikansnivå {_level(alpha)} %); konfidensintervall för kvoten "
            "enligt Clopper–Pearson, som stämmer med testet."
        )
    elif not dispersion.adjusts:
        method = (
            "Exakt villkorat binomialtest av två Poissonfördelade antal (tvåsidigt, signifikansnivå "
            f"{_level(alpha)} %); {dispersion.description}, alltså inte mer än slumpen i ett Poissonfördelat "
            "antal."
        )
    else:
        method = (
            "Test av kvoten mellan två antal med hänsyn till extra spridning mellan åren (kvasi-Poisson: "
            f"{dispersion.description}; t-test av den logaritmerade kvoten, aldrig mindre försiktigt än "
            f"exakt villkorat binomialtest; tvåsidigt, signifikansnivå {_level(alpha)} %)."
        )
    n = a + b
    if n == 0:
        return ChangeResult(
            a,
            b,
            exposure_prev,
            exposure_curr,
            "unchanged",
            1.0,
            False,
            alpha,
            None,
            None,
            None,
            method,
            dispersion,
        )
    p0 = exposure_curr / (exposure_prev + exposure_curr)
    # Central p: twice the smaller one-sided exact tail. It is the p-value that matches the central
    # Clopper–Pearson interval below (the interval excludes ratio 1 exactly when p < alpha); the
    # "minimum-likelihood" two-sided p of binomtest can be below alpha while that interval holds 1.
    upper = float(stats.binom.sf(b - 1, n, p0))  # P(X >= b)
    lower = float(stats.binom.cdf(b, n, p0))  # P(X <= b)
    p_value = min(1.0, 2.0 * min(upper, lower))
    # Clopper–Pearson from the beta quantiles (the same exact interval as binomtest's proportion_ci,
    # without its root search, which dominated the time of a test).
    pi_low = 0.0 if b == 0 else float(special.betaincinv(b, n - b + 1, alpha / 2))
    pi_high = 1.0 if b == n else float(special.betaincinv(b + 1, n - b, 1 - alpha / 2))
    scale = exposure_prev / exposure_curr

    def to_ratio(pi: float) -> float:
        return math.inf if pi >= 1 else pi / (1 - pi) * scale

    ci_low, ci_high = to_ratio(pi_low), to_ratio(pi_high)
    if dispersion is not None and dispersion.adjusts:
        half = 0.5 if a == 0 or b == 0 else 0.0
        log_ratio = math.log((b + half) / exposure_curr) - math.log((a + half) / exposure_prev)
        se = math.sqrt(dispersion.phi * (1 / (a + half) + 1 / (b + half)))
        p_value = max(p_value, min(1.0, 2 * float(stats.t.sf(abs(log_ratio) / se, dispersion.df))))
        quantile = float(stats.t.ppf(1 - alpha / 2, dispersion.df))
        ci_low = min(ci_low, math.exp(log_ratio - quantile * se))
        ci_high = max(ci_high, math.exp(log_ratio + quantile * se))

    # Compare b/e1 with a/e0 without dividing, so equal rates are recognised exactly.
    lhs, rhs = b * exposure_prev, a * exposure_curr
    direction: Direction = "increase" if lhs > rhs else "decrease" if lhs < rhs else "unchanged"
    ratio = math.inf if a == 0 else (b / exposure_curr) / (a / exposure_prev)
    significant = p_value < alpha and direction != "unchanged"
    return ChangeResult(
        a,
        b,
        exposure_prev,
        exposure_curr,
        direction,
        p_value,
        significant,
        alpha,
        ratio,
        ci_low,
        ci_high,
        method,
        dispersion,
    )


_CHANGE_NOUN = {"increase": "ökning", "decrease": "minskning"}


def change_phrase(result: ChangeResult) -> str:
    """ "en statistiskt säkerställd minskning (p = 0,003)" only when significant; otherwise says it is not."""
    if result.direction == "unchanged":
        return "ingen förändring"
    noun = _CHANGE_NOUN[result.direction]
    p_text = format_p_value(result.p_value, result.alpha)
    if result.significant:
        return f"en statistiskt säkerställd {noun} ({p_text})"
    return f"en {noun} som inte är statistiskt säkerställd ({p_text})"


def describe_change(result: ChangeResult, subject: str, *, since: int | str | None = None) -> str:
    """A sentence: "Antalet anmälda brott visar en statistiskt säkerställd minskning (p = 0,003) jämfört med 2022."."""
    tail = f" jämfört med {since}" if since is not None else ""
    return _capitalise(f"{subject} visar {change_phrase(result)}{tail}.")


_ORDINALS = [
    "första",
    "andra",
    "tredje",
    "fjärde",
    "femte",
    "sjätte",
    "sjunde",
    "åttonde",
    "nionde",
    "tionde",
]


def in_a_row_phrase(years: int) -> str:
    """2 -> "för andra året i rad"; 0 or 1 -> "" (one year is not "in a row")."""
    if years < 2:
        return ""
    ordinal = _ORDINALS[years - 1] if years <= len(_ORDINALS) else f"{years}:e"
    return f"för {ordinal} året i rad"


@dataclass(frozen=True)
class ConsecutiveChanges:
    direction: Direction | None  # of the latest run of significant changes; None when the last is not
    years: int  # how many year-to-year changes in a row, ending with the latest, are significant that way
    changes: tuple[tuple[int, ChangeResult], ...]  # (later year, result) for every consecutive pair

    @property
    def latest(self) -> ChangeResult | None:
        return self.changes[-1][1] if self.changes else None


def consecutive_significant_changes(
    series: Sequence[tuple], alpha: float = DEFAULT_ALPHA, *, over_dispersion: bool = False
) -> ConsecutiveChanges:
    """Test every pair of consecutive years and count the latest run of significant changes in one direction.

    `series` holds (year, count) or (year, count, exposure) tuples, in any order; a gap in the years breaks
    the run (a change over two years is not "year after year"). With `over_dispersion`, each pair is tested
    against the dispersion of the series' other years (change_dispersion) when the series has at least
    five years; otherwise, and without it, with the exact test.
    """
    points = sorted(series, key=lambda item: item[0])
    counts = [(p[0], p[1]) for p in points]
    exposure = {p[0]: p[2] for p in points if len(p) > 2} if any(len(p) > 2 for p in points) else None
    changes: list[tuple[int, ChangeResult | None]] = []
    for prev, curr in zip(points, points[1:], strict=False):
        if curr[0] - prev[0] != 1 or prev[1] is None or curr[1] is None:
            changes.append((curr[0], None))
            continue
        e_prev = prev[2] if len(prev) > 2 else 1.0
        e_curr = curr[2] if len(curr) > 2 else 1.0
        dispersion = change_dispersion(counts, curr[0], exposure) if over_dispersion else None
        changes.append(
            (curr[0], poisson_change_test(prev[1], curr[1], e_prev, e_curr, alpha, dispersion=dispersion))
        )
    run, direction = 0, None
    for _year, result in reversed(changes):
        if result is None or not result.significant or (direction and result.direction != direction):
            break
        direction = result.direction
        run += 1
    tested = tuple((year, result) for year, result in changes if result is not None)
    return ConsecutiveChanges(direction, run, tested)


# --- Trend over the last years --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendResult:
    direction: TrendDirection
    since_year: int | None  # first year of the tested window
    slope: float | None  # per year, on the log scale when log_scale (0.05 ≈ +5 % a year)
    p_value: float | None
    years: int  # points in the tested window
    log_scale: bool
    alpha: float
    method: str
    df: int | None = None  # degrees of freedom of the t-test of the slope
    phi: float | None = None  # dispersion used for counts (>= 1)

    @property
    def annual_change(self) -> float | None:
        """Average relative change per year (-0.06 = 6 % lower each year); None on the raw scale."""
        if self.slope is None or not self.log_scale:
            return None
        return math.expm1(self.slope)


TREND_METHOD = (
    "Linjär regression av {scale} mot år över de senaste {years} åren; t-test av lutningen, där "
    "restspridningen skattas {spread}."
)
TREND_METHOD_COUNTS = (
    "Log-linjär Poissonregression av antalen mot år över de senaste {years} åren; test av lutningen med "
    "hänsyn till extra spridning mellan åren (kvasi-Poisson), skattad {spread}."
)
_SPREAD = "över hela serien kring en jämn kurva ({df} frihetsgrader)"
_POISSON = "; spridningen är inte större än Poissonfördelningens, så lutningen prövas med z-test"


def trend(
    series: Sequence[tuple[int, float | None]],
    years: int = DEFAULT_TREND_YEARS,
    alpha: float = DEFAULT_ALPHA,
    *,
    counts: bool = False,
    exposure: Mapping[int, float] | None = None,
) -> TrendResult:
    """Has the series been falling or rising over its last `years` years ("sjunkande sedan 2020")?

    The window is fixed by the caller — the last `years` calendar years up to the latest value — never
    chosen from the data (starting at a peak would find falls in series that only wobble). The window must
    hold at least three values. The slope over the window must be significant (p < alpha), else no trend
    is claimed (direction "none").

    - `counts` (reported crimes, optionally per `exposure` = population so the slope is about the rate):
      a log-linear Poisson regression over the window. Its dispersion is estimated over the WHOLE series
      (count_dispersion: around a quadratic path with at least five years, else a straight line); when it
      exceeds 1 the standard error is scaled by it and the slope is referred to t(df), otherwise
      (no more spread than Poisson noise) the Poisson z-test is used.
    - other values (rates without counts, shares): least squares of log(value) on year over the window
      (the raw scale if a value is <= 0), with the residual variance from a quadratic fit over the whole
      series when it has at least five years (else from the window's line), and a t-test.
    """
    if years < 3:
        raise ValueError("En trend kräver minst tre år (years >= 3).")
    _check_alpha(alpha)
    if exposure is not None and not counts:
        raise ValueError("Exponering (befolkning) kan bara anges för antal (counts=True).")
    if counts:
        points = [(y, v) for y, v, _ in _count_points(series, exposure)]
    else:
        points = sorted((int(y), float(v)) for y, v in series if v is not None and math.isfinite(float(v)))
    none = TrendResult("none", None, None, None, 0, True, alpha, "")
    if not points:
        return none
    last = points[-1][0]
    window = [(y, v) for y, v in points if y > last - years]
    if len(window) < 3:
        return none
    if counts:
        slope, p_value, df, phi, method = _count_slope(points, window, exposure, years)
        log_scale = True
    else:
        log_scale = all(v > 0 for _, v in points)
        slope, p_value, df, method = _value_slope(points, window, log_scale, years)
        phi = None
    supported = p_value < alpha and slope != 0
    direction: TrendDirection = ("decreasing" if slope < 0 else "increasing") if supported else "none"
    return TrendResult(
        direction, window[0][0], slope, p_value, len(window), log_scale, alpha, method, df, phi
    )


def _count_slope(points, window, exposure, years: int):
    weights = {y: (exposure[y] if exposure is not None else 1.0) for y, _ in points}
    x_years = np.array([y for y, _ in window], dtype=float)
    counts = np.array([v for _, v in window])
    offset = np.log(np.array([weights[y] for y, _ in window]))
    n = len(window)
    dispersion = count_dispersion(points, weights)  # the whole series; at least the window's 3 years
    method = TREND_METHOD_COUNTS.format(years=years, spread=_SPREAD.format(df=dispersion.df))
    if not counts.sum() > 0:
        return 0.0, 1.0, dispersion.df, 1.0, method
    x = np.column_stack([np.ones(n), x_years - x_years.mean()])
    beta, _mu, covariance = _poisson_glm(x, counts, offset)
    slope = float(beta[1])
    se = math.sqrt(dispersion.phi * covariance[1, 1])
    if not se > 0:
        return slope, 1.0, dispersion.df, dispersion.phi, method
    if dispersion.adjusts:
        p_value = 2 * float(stats.t.sf(abs(slope) / se, dispersion.df))
    else:
        p_value = 2 * float(stats.norm.sf(abs(slope) / se))
        method = method.removesuffix(".") + _POISSON + "."
    return slope, p_value, dispersion.df, dispersion.phi, method


def _value_slope(points, window, log_scale: bool, years: int):
    def transform(values):
        arr = np.array(values, dtype=float)
        return np.log(arr) if log_scale else arr

    x = np.array([y for y, _ in window], dtype=float)
    y = transform([v for _, v in window])
    xc = x - x.mean()
    sxx = float(np.sum(xc * xc))
    slope = float(np.sum(xc * (y - y.mean())) / sxx)
    if len(points) >= MIN_DISPERSION_YEARS:
        all_x = np.array([yr for yr, _ in points], dtype=float)
        t = (all_x - all_x.mean()) / max(1.0, float(all_x.std()))
        design = np.column_stack([np.ones(len(t)), t, t * t])
        all_y = transform([v for _, v in points])
        residuals = all_y - design @ np.linalg.lstsq(design, all_y, rcond=None)[0]
        df = len(points) - 3
        spread = _SPREAD.format(df=df)
    else:
        residuals = y - (y.mean() + slope * xc)
        df = len(window) - 2
        spread = f"kring den räta linjen i perioden ({df} frihetsgrader)"
    variance = float(np.sum(residuals**2)) / df
    se = math.sqrt(variance / sxx)
    # A perfect fit (no residual spread) leaves nothing to test against: the slope is exact.
    if se < 1e-12 * max(1.0, abs(slope)):
        p_value = 0.0 if abs(slope) > 1e-12 else 1.0
    else:
        p_value = 2 * float(stats.t.sf(abs(slope) / se, df))
    scale = "logaritmerade värden" if log_scale else "värdena"
    return slope, p_value, df, TREND_METHOD.format(scale=scale, years=years, spread=spread)


def describe_trend(result: TrendResult) -> str:
    """ "sjunkande sedan 2020" / "stigande sedan 2019", or "" when no trend is supported."""
    if result.direction == "none":
        return ""
    word = "sjunkande" if result.direction == "decreasing" else "stigande"
    return f"{word} sedan {result.since_year}"
