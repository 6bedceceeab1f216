"""Effect check of an action at a place: before vs after in the area, against the rest of the municipality.

Plain Python (no Django). Design, with the reasoning in docs/lagesbild.md:

- Windows: "after" runs from the action's start for at most `length_days` (never past today); "before" is
  the same number of days right before the start. Same-length windows make the counts comparable.
- Estimate: the ratio of ratios RR = (area_after / area_before) / (control_after / control_before). RR < 1
  means the area went down more (or up less) than the rest of the municipality.
- Uncertainty: treat the four counts as Poisson. Conditional on the margins of the 2×2 table
  [[area_after, area_before], [control_after, control_before]], area_after follows Fisher's noncentral
  hypergeometric distribution whose odds ratio is exactly RR; so Fisher's exact test is the exact
  conditional test of RR = 1 and the conditional odds-ratio interval (scipy) is an exact CI for RR.
- Honesty: with fewer than MIN_AREA_EVENTS events in the area (both windows together), fewer than
  MIN_CONTROL_EVENTS in either control window, or a window shorter than MIN_DAYS, the answer is "går inte att
  säga" rather than a number that looks precise.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from scipy import stats
from scipy.stats.contingency import odds_ratio

MIN_AREA_EVENTS = 10
MIN_CONTROL_EVENTS = 5
MIN_DAYS = 14
CONFIDENCE = 0.95

CANNOT_SAY = "cannot_say"
DECREASE = "decrease"
INCREASE = "increase"
NO_CLEAR_CHANGE = "no_clear_change"


@dataclass(frozen=True)
class Windows:
    before_start: dt.date
    start: dt.date  # end of "before" and start of "after" (half-open windows)
    after_end: dt.date

    @property
    def days(self) -> int:
        return (self.after_end - self.start).days


def windows(start: dt.date, today: dt.date, length_days: int = 56) -> Windows:
    """Before and after windows of equal length around the action's start date."""
    after_end = min(start + dt.timedelta(days=length_days), today)
    days = max((after_end - start).days, 0)
    return Windows(start - dt.timedelta(days=days), start, start + dt.timedelta(days=days))


@dataclass(frozen=True)
class EffectResult:
    area_before: int
    area_after: int
    control_before: int
    control_after: int
    days: int
    verdict: str
    text: str
    ratio: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None

    @property
    def percent(self) -> int | None:
        """The estimate as a percentage change relative to the control (−40 means 40 % lower)."""
        if self.ratio is None or math.isinf(self.ratio):
            return None
        return round((self.ratio - 1) * 100)


def _pct(value: float) -> str:
    if math.isinf(value):
        return "obegränsat"
    number = round((value - 1) * 100)
    return f"{'+' if number > 0 else '−' if number < 0 else '±'}{abs(number)} %"


def effect_check(
    area_before: int,
    area_after: int,
    control_before: int,
    control_after: int,
    *,
    days: int,
    confidence: float = CONFIDENCE,
) -> EffectResult:
    """Compare the change in the area with the change in the control; Swedish wording in `.text`."""
    counts = (area_before, area_after, control_before, control_after)
    if any(not isinstance(c, int) or c < 0 for c in counts):
        raise ValueError("counts must be non-negative integers")
    base = {
        "area_before": area_before,
        "area_after": area_after,
        "control_before": control_before,
        "control_after": control_after,
        "days": days,
    }
    if days < MIN_DAYS:
        return EffectResult(
            **base,
            verdict=CANNOT_SAY,
            text=(
                f"Det går inte att säga något om effekten ännu: åtgärden har pågått i {days} dagar, och det behövs "
                f"minst {MIN_DAYS} dagar att jämföra med lika lång tid före."
            ),
        )
    if area_before + area_after < MIN_AREA_EVENTS:
        return EffectResult(
            **base,
            verdict=CANNOT_SAY,
            text=(
                f"Det går inte att säga om åtgärden hade effekt: det är för få händelser i området ({area_before} "
                f"före och {area_after} efter, under {days} dagar vardera) för att skilja en verklig förändring "
                "från slumpen."
            ),
        )
    if min(control_before, control_after) < MIN_CONTROL_EVENTS:
        return EffectResult(
            **base,
            verdict=CANNOT_SAY,
            text=(
                "Det går inte att säga om åtgärden hade effekt: resten av kommunen har för få händelser under "
                "perioderna för att fungera som jämförelse."
            ),
        )

    table = [[area_after, area_before], [control_after, control_before]]
    ratio = (area_after / area_before) / (control_after / control_before) if area_before else math.inf
    ci = odds_ratio(table, kind="conditional").confidence_interval(confidence_level=confidence)
    p_value = float(stats.fisher_exact(table).pvalue)
    low, high = float(ci.low), float(ci.high)
    level = round(confidence * 100)
    interval = f"{level} % konfidensintervall {_pct(low)} till {_pct(high)}"
    numbers = (
        f"I området: {area_before} händelser före och {area_after} efter; i resten av kommunen "
        f"{control_before} före och {control_after} efter ({days} dagar vardera)."
    )
    estimate = _pct(ratio) if not math.isinf(ratio) else f"från 0 till {area_after} händelser"
    if high < 1:
        verdict, text = (
            DECREASE,
            (
                f"Händelserna i området minskade mer än i resten av kommunen: {estimate} jämfört med "
                f"utvecklingen där ({interval}). Det talar för att åtgärden kan ha haft effekt, men annat som "
                f"ändrats under samma tid kan också förklara skillnaden. {numbers}"
            ),
        )
    elif low > 1:
        verdict, text = (
            INCREASE,
            (
                f"Händelserna i området ökade mer än i resten av kommunen: {estimate} jämfört med "
                f"utvecklingen där ({interval}). Åtgärden har inte gett någon synlig minskning. {numbers}"
            ),
        )
    else:
        verdict, text = (
            NO_CLEAR_CHANGE,
            (
                f"Ingen säker skillnad mot resten av kommunen: skattningen är {estimate}, men intervallet "
                f"({interval}) rymmer både minskning och ökning. Det går alltså inte att säga att åtgärden hade "
                f"effekt. {numbers}"
            ),
        )
    return EffectResult(
        **base, verdict=verdict, text=text, ratio=ratio, ci_low=low, ci_high=high, p_value=p_value
    )
