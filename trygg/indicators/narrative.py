"""Drafted text (and charts) for section 3 Nulägesanalys of the follow-up report.

The coordinator accepts, edits or replaces the draft on the follow-up page, so the draft is Markdown in
plain paragraphs. Every claim comes from a function in `analysis`; a sentence whose data is missing is left
out, never guessed. "Statistiskt säkerställd" appears only where a test supports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from trygg.documents.model import Figure

from . import charts
from .analysis import (
    DEFAULT_ALPHA,
    RankResult,
    ShareEstimate,
    describe_share_change,
    describe_share_comparison,
    format_number,
    format_p_value,
    format_share,
    rank,
    rate_per_100k,
    shared_years,
)
from .changes import (
    DEFAULT_TREND_YEARS,
    MIN_DISPERSION_YEARS,
    Dispersion,
    change_dispersion,
    change_phrase,
    consecutive_significant_changes,
    in_a_row_phrase,
    poisson_change_test,
    trend,
)

# "betydligt lägre" than riket: a relative difference of at least 20 % (described, not tested).
SUBSTANTIAL_RATIO = 0.2
# The years the tests look at: the latest ten (over longer periods crime series have breaks — new
# counting rules, new offences — that a smooth path cannot follow and that would only inflate the
# dispersion). Trends are over the latest DEFAULT_TREND_YEARS years ("sedan 2020" in 2023).
SERIES_YEARS = 10


@dataclass(frozen=True)
class IndicatorValues:
    """One input of Öppna jämförelser for all kommuner, for the "bland de 25 procent …" statements."""

    name: str  # as written after the words below: "våldsbrott", "utvecklade bränder i byggnad"
    values: Mapping[str, float | None]  # kommun code -> value
    higher_is_better: bool = False
    low_words: str = "minst antal"
    high_words: str = "högst antal"


@dataclass(frozen=True)
class OpenComparisons:
    rank: int  # the published rank this year
    of: int = 290
    previous_rank: int | None = None  # the rank the year before
    inputs: Sequence[IndicatorValues] = ()
    name: str = "Öppna jämförelser Trygghet och säkerhet"  # as written after "… kommuner i"


@dataclass(frozen=True)
class CountSeries:
    counts: Mapping[int, int | None]  # year -> reported crimes (None: missing or hidden as a small count)
    population: Mapping[int, float] = field(default_factory=dict)  # year -> inhabitants (for rates)
    # Rates as published (e.g. Kolada's N07540, rounded): shown instead of the rate computed from a count.
    published_rates: Mapping[int, float] = field(default_factory=dict)

    def rates(self) -> dict[int, float]:
        years = sorted(y for y in self.counts if self.counts[y] is not None and self.population.get(y))
        rates = {y: rate_per_100k(self.counts[y], self.population[y]) for y in years}
        rates.update({y: r for y, r in self.published_rates.items() if r is not None})
        return dict(sorted(rates.items()))

    def has_exposure(self, year: int) -> bool:
        """A count and a population for the year: what the exact test of two rates needs."""
        return self.counts.get(year) is not None and bool(self.population.get(year))


@dataclass(frozen=True)
class NtuFacts:
    # Completes "andelen som …": "känner sig otrygga vid utevistelse sent på kvällen i det egna bostadsområdet"
    question: str
    kommun: Mapping[int, ShareEstimate]
    riket: Mapping[int, ShareEstimate] = field(default_factory=dict)
    polisregion: Mapping[int, ShareEstimate] = field(default_factory=dict)
    polisregion_name: str = ""  # "Polisregion Väst"
    by_gender: Mapping[str, Mapping[int, ShareEstimate]] = field(default_factory=dict)  # "Kvinnor", "Män"


@dataclass(frozen=True)
class AnalysisFacts:
    municipality: str  # "Kungälvs kommun"
    place: str  # "Kungälv", as in "i Kungälv"
    code: str  # kommun code, "1482"
    year: int
    open_comparisons: OpenComparisons | None = None
    total: CountSeries | None = None  # all reported crimes in the kommun
    national_total: CountSeries | None = None  # all reported crimes in riket
    categories: Mapping[str, Mapping[int, int]] = field(default_factory=dict)  # "våldsbrott" -> year -> count
    ntu: NtuFacts | None = None
    preliminary: bool = False  # the latest crime year is Brå's preliminary statistics
    alpha: float = DEFAULT_ALPHA


def draft_current_analysis(facts: AnalysisFacts) -> str:
    """Swedish Markdown paragraphs for section 3, from the facts; empty when there is nothing to say."""
    state = _Draft(facts)
    paragraphs = [
        state.open_comparisons(),
        state.total_crimes(),
        state.categories(),
        state.ntu(),
        state.method(),
    ]
    return "\n\n".join(p for p in paragraphs if p) + ("\n" if any(paragraphs) else "")


FIGURE_KEYS = ("rates", "categories", "ntu", "ntu_gender")


def current_analysis_figures(
    facts: AnalysisFacts,
    *,
    captions: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
) -> list[Figure]:
    """The section's charts as document figures, for the data the facts hold (same facts as the text).

    `captions` and `sources` override, per chart (keys in FIGURE_KEYS), the default caption and the source
    line drawn inside the chart.
    """
    captions, sources = captions or {}, sources or {}

    def source(key: str) -> dict[str, str]:
        return {"source": sources[key]} if sources.get(key) else {}

    figures: list[Figure] = []
    rates = facts.total.rates() if facts.total else {}
    national = facts.national_total.rates() if facts.national_total else {}
    if rates:
        series = {facts.place: sorted(rates.items())}
        if national:
            series["Riket"] = sorted(national.items())
        title = f"Anmälda brott per 100 000 invånare, {facts.place}"
        chart = charts.line_chart_rates(series, title=title, **source("rates"))
        default = "Anmälda brott per 100 000 invånare (alla brottskategorier)."
        figures.append(chart.to_figure(captions.get("rates", default)))
    if facts.categories:
        series = {_capitalise(name): sorted(counts.items()) for name, counts in facts.categories.items()}
        title = f"Anmälda brott per brottskategori, {facts.place}"
        chart = charts.category_counts_chart(series, title=title, **source("categories"))
        figures.append(chart.to_figure(captions.get("categories", "Antal anmälda brott per brottskategori.")))
    ntu = facts.ntu
    if ntu and ntu.kommun:
        series = {facts.municipality: _share_points(ntu.kommun)}
        if ntu.polisregion:
            series[ntu.polisregion_name or "Polisregion"] = _share_points(ntu.polisregion)
        if ntu.riket:
            series["Riket"] = _share_points(ntu.riket)
        caption = captions.get("ntu", f"Andel (%) som {ntu.question}, enligt NTU.")
        figures.append(charts.ntu_chart(series, **source("ntu")).to_figure(caption))
        if ntu.by_gender:
            gender = {label: _share_points(shares) for label, shares in ntu.by_gender.items()}
            title = f"Otrygghet efter kön, {facts.place}"
            chart = charts.ntu_gender_chart(gender, title=title, **source("ntu_gender"))
            default = f"Andel (%) som {ntu.question}, efter kön, {facts.place}."
            figures.append(chart.to_figure(captions.get("ntu_gender", default)))
    return figures


# --- Paragraphs ---------------------------------------------------------------------------------------


class _Draft:
    def __init__(self, facts: AnalysisFacts) -> None:
        self.f = facts
        self.count_tests: set[str] = set()  # "exact" and/or "adjusted" (quasi-Poisson) tests used
        self.used_trend = False
        self.used_share_test = False
        self.used_riket = False

    def open_comparisons(self) -> str:
        oj, f = self.f.open_comparisons, self.f
        if oj is None:
            return ""
        previous = f" ({f.year - 1}: plats {oj.previous_rank})" if oj.previous_rank else ""
        sentences = [
            f"{f.municipality} placerade sig år {f.year} på plats {oj.rank}{previous} av samtliga {oj.of} "
            f"kommuner i {oj.name}."
        ]
        good: list[tuple[str, str]] = []  # (words, indicator) where the kommun is in the best quarter
        bad: list[tuple[str, str]] = []
        for indicator in oj.inputs:
            result: RankResult | None = rank(indicator.values, indicator.higher_is_better).get(f.code)
            if result is None or result.extreme is None:
                continue
            words = indicator.low_words if result.extreme == "lowest" else indicator.high_words
            (good if result.quartile == 1 else bad).append((words, indicator.name))
        clauses = [
            f"bland de 25 procent av kommunerna med {_grouped(group)}" for group in (good, bad) if group
        ]
        if clauses:
            sentences.append(f"I jämförelsen är {f.municipality} " + ", men ".join(clauses) + ".")
        return " ".join(sentences)

    def _recent(self, counts: Mapping[int, int | None]) -> list[tuple[int, int]]:
        """The latest SERIES_YEARS years up to the report's year with a count, sorted."""
        year = self.f.year
        return [
            (y, c) for y, c in sorted(counts.items()) if c is not None and year - SERIES_YEARS < y <= year
        ]

    def _test(self, *args, dispersion: Dispersion | None):
        self.count_tests.add("adjusted" if dispersion is not None else "exact")
        return poisson_change_test(*args, alpha=self.f.alpha, dispersion=dispersion)

    def total_crimes(self) -> str:
        f, total = self.f, self.f.total
        if total is None or f.year not in total.counts:
            return ""
        sentences = []
        series = self._recent(total.counts)
        # With five years or more, each change is tested against the extra-Poisson variation of the other
        # years (quasi-Poisson); with fewer, the exact Poisson test.
        adjusted = len(series) >= MIN_DISPERSION_YEARS
        run = consecutive_significant_changes(series, f.alpha, over_dispersion=adjusted)
        latest = run.changes[-1] if run.changes else None
        statistics = "den preliminära brottsstatistiken" if f.preliminary else "brottsstatistiken"
        if latest and latest[0] == f.year:
            self.count_tests.add("adjusted" if adjusted else "exact")
            change = latest[1]
            numbers = f"{format_number(change.count_prev)} år {f.year - 1}, {format_number(change.count_curr)} år {f.year}"
            if change.significant:
                repeat = in_a_row_phrase(run.years)
                noun = "ökning" if change.direction == "increase" else "minskning"
                sentences.append(
                    f"Enligt {statistics} från Brottsförebyggande rådet (Brå) för år {f.year} har {f.municipality} "
                    + (f"{repeat} " if repeat else "")
                    + f"en statistiskt säkerställd {noun} av det sammanlagda antalet anmälda brott "
                    f"({numbers}; {format_p_value(change.p_value, change.alpha)})."
                )
            else:
                sentences.append(
                    f"Enligt {statistics} från Brottsförebyggande rådet (Brå) för år {f.year} var det "
                    f"sammanlagda antalet anmälda brott i {f.place} {format_number(change.count_curr)} år {f.year} "
                    f"mot {format_number(change.count_prev)} år {f.year - 1}, {change_phrase(change)}."
                )
        sentences.append(self._against_riket())
        sentences.append(self._trend_total(series))
        return " ".join(s for s in sentences if s)

    def _against_riket(self) -> str:
        """The level against riket, described, never tested: the kommun is part of riket, and reported crime
        is a count of everything reported, not a sample, so a p-value (≈ 1e-249 for Kungälv) would answer a
        question nobody asked. The relative difference is what a statistician would write."""
        f, total, national = self.f, self.f.total, self.f.national_total
        if national is None:
            return ""
        ours, theirs = total.rates().get(f.year), national.rates().get(f.year)
        if ours is None or theirs is None or not theirs > 0:
            return ""
        self.used_riket = True
        numbers = f"{format_number(ours)} jämfört med {format_number(theirs)} år {f.year}"
        ratio = ours / theirs
        percent = round(abs(ratio - 1) * 100)
        if percent == 0:
            return f"{f.municipality} har ungefär lika många anmälda brott per 100 000 invånare som riket ({numbers})."
        word = "högre" if ratio > 1 else "lägre"
        size = "betydligt " if abs(ratio - 1) >= SUBSTANTIAL_RATIO else ""
        return (
            f"{f.municipality} har {size}{word} antal anmälda brott per 100 000 invånare än riket ({numbers}, "
            f"{percent} procent {word})."
        )

    def _trend_total(self, series: list[tuple[int, int]]) -> str:
        f, total = self.f, self.f.total
        per_capita = all(total.population.get(y) for y, _ in series)
        exposure = dict(total.population) if per_capita else None
        result = trend(series, DEFAULT_TREND_YEARS, f.alpha, counts=True, exposure=exposure)
        if result.direction == "none" or series[-1][0] != f.year:
            return ""
        self.used_trend = True
        word = "sjunkande" if result.direction == "decreasing" else "stigande"
        what = "antalet anmälda brott per 100 000 invånare" if per_capita else "antalet anmälda brott"
        change = result.annual_change
        size = f"i genomsnitt {format_number(abs(change) * 100, 1)} procent {'lägre' if change < 0 else 'högre'} per år"
        return (
            f"Sedan {result.since_year} är det en {word} trend i {what} i {f.place} "
            f"({size}; {format_p_value(result.p_value, result.alpha)})."
        )

    def categories(self) -> str:
        f = self.f
        sentences: list[str] = []
        not_significant: dict[str, list[str]] = {"increase": [], "decrease": []}
        for name, counts in f.categories.items():
            recent = self._recent(counts)
            series = dict(recent)
            sentences.append(self._category_trend(name, recent))
            if f.year not in series or f.year - 1 not in series:
                continue
            change = self._test(
                series[f.year - 1], series[f.year], dispersion=change_dispersion(recent, f.year)
            )
            numbers = f"från {format_number(change.count_prev)} till {format_number(change.count_curr)}"
            if change.significant:
                verb = "ökat" if change.direction == "increase" else "minskat"
                sentences.append(
                    f"Jämfört med {f.year - 1} har antalet anmälda {name} {verb} {numbers}, {change_phrase(change)}."
                )
            elif change.direction != "unchanged":
                not_significant[change.direction].append(f"{name} ({numbers})")
        for direction, items in not_significant.items():
            if items:
                sentences.append(_not_significant_sentence(direction, items, f.year - 1))
        return " ".join(s for s in sentences if s)

    def _category_trend(self, name: str, series: list[tuple[int, int]]) -> str:
        f = self.f
        if not series or series[-1][0] != f.year:
            return ""
        result = trend(series, DEFAULT_TREND_YEARS, f.alpha, counts=True)
        if result.direction == "none":
            return ""
        self.used_trend = True
        values = dict(series)
        start, end = values[result.since_year], values[f.year]
        if start == 0:
            return ""  # no percentage from zero
        verb = "minskat" if end < start else "ökat"
        percent = format_number(abs(end - start) / start * 100)
        word = "sjunkande" if result.direction == "decreasing" else "stigande"
        return (
            f"Antalet anmälda {name} har {verb} med {percent} procent mellan {result.since_year} och {f.year} "
            f"({word} trend sedan {result.since_year}; {format_p_value(result.p_value, result.alpha)})."
        )

    def ntu(self) -> str:
        f, ntu = self.f, self.f.ntu
        if ntu is None or not ntu.kommun:
            return ""
        years = sorted(y for y in ntu.kommun if y <= f.year)
        if not years:
            return ""
        latest = years[-1]
        current = ntu.kommun[latest]
        sentences = []
        subject = f"andelen som {ntu.question}"
        # The latest earlier value that shares no survey year with the current one (pooled kommun values
        # overlap year by year); else the year before, which describe_share_change then only describes.
        earlier = [y for y in years[:-1] if not shared_years(ntu.kommun[y], current, y, latest)]
        if len(years) > 1:
            previous = earlier[-1] if earlier else years[-2]
            sentences.append(
                describe_share_change(
                    ntu.kommun[previous], current, previous, latest, f"{subject} i {f.place}"
                )
            )
        else:
            sentences.append(
                f"{_capitalise(subject)} i {f.place} var {_share_text(current)} år {current.label(latest)}."
            )
        self.used_share_test = True
        region = f"i {ntu.polisregion_name}" if ntu.polisregion_name else "i polisregionen"
        for where, shares in ((region, ntu.polisregion), ("i riket", ntu.riket)):
            if latest in shares:
                # The kommun is part of the region and of riket: nested areas, the test is cautious.
                sentences.append(
                    describe_share_comparison(
                        current,
                        shares[latest],
                        f"i {f.place}",
                        where,
                        f"Andelen år {current.label(latest)}",
                        nested=True,
                    )
                )
        women, men = ntu.by_gender.get("Kvinnor", {}).get(latest), ntu.by_gender.get("Män", {}).get(latest)
        if women and men:
            sentences.append(
                describe_share_comparison(
                    women, men, "bland kvinnorna", "bland männen", f"Andelen i {f.place}"
                )
            )
        return " ".join(sentences)

    def method(self) -> str:
        parts = []
        alpha = format_number(self.f.alpha, 2)
        if "adjusted" in self.count_tests:
            parts.append(
                "Förändringar i antal anmälda brott kallas statistiskt säkerställda när testet ger "
                f"p < {alpha}. När minst fem års värden finns tar testet hänsyn till att antalen kan variera "
                "mer mellan åren än ren slump (kvasi-Poisson: spridningen skattas ur de övriga årens variation "
                "kring en jämn kurva, bland de senaste upp till tio åren), och det är aldrig mindre försiktigt "
                "än ett exakt test (villkorat binomialtest för Poissonfördelade antal)."
            )
        if "exact" in self.count_tests:
            few = " för serier med färre än fem år" if "adjusted" in self.count_tests else ""
            parts.append(
                f"Förändringar i antal anmälda brott{few} kallas statistiskt säkerställda när ett exakt test "
                f"(villkorat binomialtest för Poissonfördelade antal) ger p < {alpha}."
            )
        if self.used_trend:
            parts.append(
                f"En trend anges bara när lutningen över de senaste {_number_word(DEFAULT_TREND_YEARS)} åren i "
                "en log-linjär Poissonregression är statistiskt säkerställd (p < "
                f"{alpha}), med hänsyn till extra spridning mellan åren skattad över hela serien."
            )
        if self.used_riket:
            parts.append(
                "Jämförelsen med riket är beskrivande (skillnaden i procent), utan test: kommunen ingår i "
                "riket, och anmälda brott är en räkning av allt som anmälts, inte ett urval."
            )
        if self.used_share_test:
            parts.append(
                "NTU bygger på ett urval; en skillnad i andelar prövas med ett z-test av skillnaden, där "
                "varje andels standardfel är felmarginalen delad med 1,96, och kallas statistiskt säkerställd "
                f"när p < {alpha}. När kommunen ingår i det område den jämförs med (polisregionen, riket) "
                "behandlar testet dem som oberoende, vilket gör det försiktigt. Kommunernas NTU-värden är "
                "ofta sammanslagna över två år och anges då med båda åren."
            )
        return " ".join(parts)


# --- Helpers ------------------------------------------------------------------------------------------


_NUMBER_WORDS = ("noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio")


def _number_word(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def _grouped(items: list[tuple[str, str]]) -> str:
    """[("minst antal", "våldsbrott"), ("minst antal", "bränder")] -> "minst antal våldsbrott och bränder"."""
    by_words: dict[str, list[str]] = {}
    for words, name in items:
        by_words.setdefault(words, []).append(name)
    return _join([f"{words} {_join(names)}" for words, names in by_words.items()])


def _not_significant_sentence(direction: str, items: list[str], since: int) -> str:
    verb, noun = ("ökat", "ökningen") if direction == "increase" else ("minskat", "minskningen")
    if len(items) > 1:
        noun = "ökningarna" if direction == "increase" else "minskningarna"
        tail = "inte statistiskt säkerställda"
    else:
        tail = "inte statistiskt säkerställd"
    return f"Antalet anmälda {_join(items)} har {verb} jämfört med {since}, men {noun} är {tail}."


def _share_text(share: ShareEstimate) -> str:
    return f"{format_share(share.value)} procent"


def _share_points(shares: Mapping[int, ShareEstimate]) -> list[tuple[int, ShareEstimate]]:
    return sorted(shares.items())
