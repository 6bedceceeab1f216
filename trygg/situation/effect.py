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
- Displacement: with counts for a buffer zone around the area, the weighted displacement quotient of Bowers &
  Johnson (2003), see :func:`displacement_quotient`.
- Regression to the mean: an area picked because its counts were high tends to fall back without any action;
  ``chosen_for_high_counts`` adds that warning to the text.
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
class Displacement:
    """Weighted displacement quotient (Bowers & Johnson 2003), with R the action area, B the buffer around
    it, C the control, b before and a after:

        WDQ = (B_a/C_a − B_b/C_b) / (R_a/C_a − R_b/C_b)

    The denominator (``success``) is the area's change relative to the control; the quotient is only read
    when it is negative (the area fell relative to the control). WDQ > 0: the buffer fell too (diffusion of
    benefits); 0 > WDQ > −1: some displacement, less than the reduction; WDQ < −1: more displaced than
    prevented. No interval: with counts this small the quotient is very uncertain, and the text says so."""

    success: float
    buffer_change: float
    wdq: float | None
    text: str


def displacement_quotient(
    area_before: int,
    area_after: int,
    buffer_before: int,
    buffer_after: int,
    control_before: int,
    control_after: int,
) -> Displacement:
    if min(control_before, control_after) <= 0:
        raise ValueError("the control needs events in both windows")
    success = area_after / control_after - area_before / control_before
    buffer_change = buffer_after / control_after - buffer_before / control_before
    counts = f"I zonen runt området: {buffer_before} händelser före och {buffer_after} efter."
    if success >= 0:
        return Displacement(
            success,
            buffer_change,
            None,
            "Förflyttning går inte att bedöma, eftersom området inte minskade i förhållande till resten av "
            f"kommunen. {counts}",
        )
    wdq = buffer_change / success
    if wdq > 0:
        reading = (
            "händelserna minskade också i zonen runt området (spridning av nyttan snarare än förflyttning)"
        )
    elif wdq == 0:
        reading = "zonen runt området förändrades som resten av kommunen (ingen synlig förflyttning)"
    elif wdq >= -1:
        reading = "en del av händelserna kan ha flyttat till zonen runt området, men färre än minskningen"
    else:
        reading = "fler händelser tillkom i zonen runt området än som försvann i området"
    text = (
        f"Förflyttningskvoten (WDQ, Bowers & Johnson 2003) är {wdq:.2f}".replace(".", ",").replace("-", "−")
        + f": {reading}. Kvoten är osäker när antalen är små. {counts}"
    )
    return Displacement(success, buffer_change, wdq, text)


REGRESSION_TO_THE_MEAN = (
    "Området valdes för att händelserna var många. Ett sådant område brukar få färre händelser efteråt även "
    "utan åtgärd (regression mot medelvärdet), så en minskning här överskattar lätt effekten."
)
LIMITS = (
    "Jämförelsen visar om området förändrades annorlunda än resten av kommunen under samma tid; den kan inte "
    "visa att det var åtgärden som gjorde skillnaden."
)


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
    displacement: Displacement | None = None
    warnings: tuple[str, ...] = ()
    buffer_before: int | None = None  # the zone around the area (not part of the control), when counted
    buffer_after: int | None = None

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
    buffer_before: int | None = None,
    buffer_after: int | None = None,
    chosen_for_high_counts: bool = False,
) -> EffectResult:
    """Compare the change in the area with the change in the control; Swedish wording in `.text`.

    ``buffer_before``/``buffer_after``: counts in a zone around the area (not part of area or control is
    best; see docs) for the displacement quotient. ``chosen_for_high_counts``: the area was picked because
    its counts were high, so the text warns about regression to the mean."""
    counts = (area_before, area_after, control_before, control_after)
    if any(not isinstance(c, int) or c < 0 for c in counts):
        raise ValueError("counts must be non-negative integers")
    base = {
        "area_before": area_before,
        "area_after": area_after,
        "control_before": control_before,
        "control_after": control_after,
        "days": days,
        "buffer_before": buffer_before,
        "buffer_after": buffer_after,
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
    extra: list[str] = []
    displacement = None
    if buffer_before is not None and buffer_after is not None:
        displacement = displacement_quotient(
            area_before, area_after, buffer_before, buffer_after, control_before, control_after
        )
        extra.append(displacement.text)
    if chosen_for_high_counts:
        extra.append(REGRESSION_TO_THE_MEAN)
    extra.append(LIMITS)
    return EffectResult(
        **base,
        verdict=verdict,
        text=" ".join([text, *extra]),
        ratio=ratio,
        ci_low=low,
        ci_high=high,
        p_value=p_value,
        displacement=displacement,
        warnings=(REGRESSION_TO_THE_MEAN,) if chosen_for_high_counts else (),
    )
