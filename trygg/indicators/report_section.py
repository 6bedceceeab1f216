"""Section 3 *Nulägesanalys* of the follow-up report, from the statistics in the database.

`facts_for(follow_up)` reads the observations of the plan's own municipality (`plan.municipality.code`), its
län, its polisregion and riket up to the follow-up's year and builds `narrative.AnalysisFacts`. Only the
shared (national) indicators are read, never a municipality's local ones; a plan whose municipality has no
statistics gets a section 3 that says so, never another municipality's figures.
`current_analysis_blocks(follow_up)` (the report's section-3 provider) turns them into the four charts, and
`draft_for(follow_up)` (the drafter) into the Markdown the coordinator accepts, edits or replaces on the
follow-up's edit page. Both are registered with trygg.plans.report in apps.py.

Lookup order, per part of the section (the first source with a value for the municipality wins; a part
never mixes official and demo figures):

| part | 1. official | 2. official | 3. demo (DEMO.* below) |
|---|---|---|---|
| total crimes | `BRA.anmalda_brott` total (counts) + `N01951` population | `N07540` per 100 000 + `N01951` | `DEMO.anmalda_brott_per_100k` + `DEMO.folkmangd` |
| categories | `BRA.anmalda_brott` by brottskategori | — | `DEMO.anmalda_brott_kategori` |
| NTU | `N07609` (margin from `N07657`) | — | `DEMO.ntu_otrygghet_kvall` |
| ranking | `N00301` kommunindex, ranked among all kommuner | — | `DEMO.oppna_jamforelser_rang` |

Queries: one when there is no data for the municipality, one more when the ranking comes from N00301
(all kommuner's values); never more, whatever the number of observations.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Q

from .models import Observation, Region
from .suppression import is_suppressed, suppression_note, threshold

if TYPE_CHECKING:
    from trygg.documents.model import Block

    from .narrative import AnalysisFacts

logger = logging.getLogger(__name__)

RIKET = "00"
# Demo series (loaded by trygg.demo.indicators, never official): the section uses them only when a
# municipality has no official series, and then says so in every caption and in the draft.
DEMO_SOURCE = "Demodata (ej officiell statistik)"
DEMO_CRIMES_PER_100K = "DEMO.anmalda_brott_per_100k"
DEMO_CRIMES_BY_CATEGORY = "DEMO.anmalda_brott_kategori"
DEMO_NTU_UNSAFE_EVENING = "DEMO.ntu_otrygghet_kvall"
DEMO_OPEN_COMPARISONS_RANK = "DEMO.oppna_jamforelser_rang"
DEMO_POPULATION = "DEMO.folkmangd"  # yearly: turns the demo rates back into counts
DEMO_SUFFIX = " (demodata)"
DEMO_LINE = f"Källa: {DEMO_SOURCE}"
NO_STATISTICS = (
    "Trygg har ingen statistik för {municipality} för {year}: diagrammen över anmälda brott, trygghet "
    "(NTU) och Öppna jämförelser saknas därför i det här avsnittet. Statistiken importeras från Brå, SCB "
    "och Kolada för kommunkod {code}."
)

# Official codes (Brå's database export and Kolada; see the table above).
BRA_CRIMES = "BRA.anmalda_brott"
KOLADA_CRIMES_PER_100K = "N07540"
KOLADA_POPULATION = "N01951"
KOLADA_NTU_UNSAFE_EVENING = "N07609"
KOLADA_SAFETY_INDEX = "N00301"
# Inputs for "bland de 25 procent av kommunerna med …", ranked among all kommuner (official data only).
KOLADA_RANKED_INPUTS = {
    "N07403": ("anmälda våldsbrott per 100 000 invånare", "minst antal", "högst antal"),
    "N07415": ("byggnadsbränder med spridning från startobjektet", "minst antal", "högst antal"),
}

# Kolada publishes NTU for a kommun as two survey years pooled (too few answers in one year) under the later
# year's period; län, polisregion and riket are single years. Such a value is labelled "2022–2023".
KOLADA_POOLED_FOR_KOMMUN = frozenset({KOLADA_NTU_UNSAFE_EVENING})
POOLED_YEARS = 2

NTU_QUESTION = "känner sig otrygga vid utevistelse sent på kvällen i det egna bostadsområdet"

# Captions from the graphs of the reference report's section 3 (trygg/plans/demo/kungalv_2023.yaml, end).
CAPTION_RATES = "Anmälda brott per 100 000 invånare (alla brottskategorier)"
CAPTION_CATEGORIES = "Antal anmälda brott i brottskategorierna {categories}"
CAPTION_NTU = (
    "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet. Andel som känner sig mycket/ganska "
    "otrygga samt de som avstår från att gå ut på grund av otrygghet"
)
CAPTION_NTU_GENDER = (
    "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet, enligt NTU {years}. Andel (%) som "
    "känner sig mycket/ganska otrygga samt de som avstår från att gå ut på grund av otrygghet, av samtliga samt "
    "av männen respektive kvinnorna i {municipality}"
)
DEMO_NOTE = (
    "*Observera: siffrorna i förslaget är demodata (ej officiell statistik). Ersätt dem med Brås, SCB:s och "
    "Koladas uppgifter innan rapporten används.*"
)

# The report's five categories, in its order; Brå's export names some of them without "brott".
REPORT_CATEGORIES = (
    ("våldsbrott",),
    ("stöld- och tillgreppsbrott",),
    ("brott mot narkotikastrafflagen", "narkotikabrott"),
    ("skadegörelsebrott (inkl. mordbrand)", "skadegörelse (inkl. mordbrand)", "skadegörelsebrott"),
    ("bedrägeribrott och annan oredlighet", "bedrägeribrott", "bedrägeri"),
)
MAX_CATEGORIES = 7  # lines in one chart that stay readable
CATEGORY = "brottskategori="
_SUB_YEAR = re.compile(r"[MK]\d")  # months (2026M04) and quarters (2023K1) are not yearly values


@dataclass(frozen=True)
class CrimeSource:
    counts: str | None  # indicator with counts, or None when the source is a rate
    rates: str | None  # indicator per 100 000 inhabitants (counts are then derived with the population)
    population: str
    line: str  # the source line drawn in the chart
    demo: bool = False


@dataclass(frozen=True)
class Source:
    code: str
    line: str = ""  # the source line drawn in the chart
    demo: bool = False
    name: str = ""  # for a ranking: its name as written in the text ("… av samtliga 290 kommuner i <name>")


CRIME_SOURCES = (
    CrimeSource(
        BRA_CRIMES, None, KOLADA_POPULATION, "Källa: Brå (anmälda brott), SCB via Kolada (folkmängd)"
    ),
    CrimeSource(None, KOLADA_CRIMES_PER_100K, KOLADA_POPULATION, "Källa: Brå och SCB via Kolada"),
    CrimeSource(None, DEMO_CRIMES_PER_100K, DEMO_POPULATION, DEMO_LINE, demo=True),
)
CATEGORY_SOURCES = (
    Source(BRA_CRIMES, "Källa: Brå"),
    Source(DEMO_CRIMES_BY_CATEGORY, DEMO_LINE, demo=True),
)
NTU_SOURCES = (
    Source(KOLADA_NTU_UNSAFE_EVENING, "Källa: Brå, Nationella trygghetsundersökningen (NTU), via Kolada"),
    Source(DEMO_NTU_UNSAFE_EVENING, DEMO_LINE, demo=True),
)
RANK_SOURCES = (
    Source(KOLADA_SAFETY_INDEX, name="Koladas kommunindex för Trygghet och säkerhet"),
    Source(DEMO_OPEN_COMPARISONS_RANK, demo=True, name="Öppna jämförelser Trygghet och säkerhet"),
)
ALL_CODES = sorted(
    {c for s in CRIME_SOURCES for c in (s.counts, s.rates, s.population) if c}
    | {s.code for s in CATEGORY_SOURCES + NTU_SOURCES + RANK_SOURCES}
)


class Value(NamedTuple):
    value: float
    margin: float | None
    ci_low: float | None
    ci_high: float | None
    preliminary: bool
    start: int | None = None  # first year of a pooled period ("2021–2022" -> 2021); None for one year


Yearly = dict[int, Value]


@dataclass
class _Data:
    """The observations read for the section, keyed (code, region code, breakdown) -> year -> Value."""

    series: dict[tuple[str, str, str], Yearly]
    regions: dict[str, tuple[str, str, str]]  # code -> (kind, name, short name)
    sensitive: frozenset[str] = frozenset()  # indicator codes whose small counts need protection

    def get(self, code: str | None, region: str | None, breakdown: str = "") -> Yearly:
        return self.series.get((code or "", region or "", breakdown), {})

    def region_of_kind(self, kind: str) -> str | None:
        return next((code for code, (k, *_rest) in self.regions.items() if k == kind), None)


@dataclass
class Notes:
    """What the captions and the draft must say about the data, per part (chart key)."""

    lines: dict[str, str] = field(default_factory=dict)  # chart key -> source line drawn in the chart
    demo: set[str] = field(default_factory=set)  # parts whose data is demo data
    hidden: set[str] = field(default_factory=set)  # parts where counts below the threshold were left out
    hidden_total_years: set[int] = field(default_factory=set)  # total hidden to protect a category

    def use(self, key: str, line: str, demo: bool) -> None:
        self.lines[key] = line
        if demo:
            self.demo.add(key)


@dataclass
class SectionFacts:
    """What the section is built from: the facts for the text and for the charts, and the notes."""

    text_facts: AnalysisFacts
    chart_facts: AnalysisFacts
    notes: Notes


# --- Public API -----------------------------------------------------------------------------------


def facts_for(follow_up) -> AnalysisFacts | None:
    """The facts for the follow-up's year, or None when the database holds no statistics for the kommun."""
    section = section_for(follow_up)
    return section.text_facts if section else None


def current_analysis_blocks(follow_up) -> list[Block]:
    """The charts of section 3 (figures with captions and source in the chart); without statistics for the
    plan's municipality, one paragraph that says so."""
    section = section_for(follow_up)
    if section is None:
        return [no_statistics_paragraph(follow_up)]
    from .narrative import current_analysis_figures

    facts = section.chart_facts
    notes = section.notes
    captions = {
        key: caption
        + (DEMO_SUFFIX if key in notes.demo else "")
        + (f". {suppression_note()}" if key in notes.hidden else "")
        for key, caption in _captions(facts).items()
    }
    try:
        return list(current_analysis_figures(facts, captions=captions, sources=notes.lines))
    except ValueError:
        # The analysis refuses impossible data (a negative count …) with ValueError; a broken statistics
        # row must not stop the follow-up report, so it goes out without the charts and the log says why.
        logger.exception("Section 3 charts left out for follow-up %s", follow_up.pk)
        return []


def draft_for(follow_up) -> str:
    """Proposed Markdown for FollowUp.current_analysis from the statistics; "" when there are none."""
    section = section_for(follow_up)
    if section is None:
        return ""
    from .narrative import draft_current_analysis

    try:
        text = draft_current_analysis(section.text_facts).strip()
    except ValueError:
        logger.exception("No section 3 draft for follow-up %s", follow_up.pk)
        return ""
    if not text:
        return ""
    if section.notes.hidden:
        text += "\n\n" + suppression_note()
    if section.notes.demo:
        text += "\n\n" + DEMO_NOTE
    return text + "\n"


def no_statistics_paragraph(follow_up) -> Block:
    from trygg.documents.model import Paragraph, Run

    municipality = follow_up.plan.municipality
    text = NO_STATISTICS.format(
        municipality=municipality.full_name, year=follow_up.year, code=municipality.code
    )
    return Paragraph([Run(text, italic=True)])


def section_for(follow_up, municipality_code: str | None = None) -> SectionFacts | None:
    """The section's facts for the plan's own municipality (or `municipality_code`); None without data."""
    code = municipality_code or follow_up.plan.municipality.code
    data = _read(code, int(follow_up.year))
    if code not in data.regions:
        return None
    return _build(data, code, int(follow_up.year))


# --- Reading ---------------------------------------------------------------------------------------


def _read(code: str, year: int) -> _Data:
    """One query: every candidate series for the kommun, its län, its polisregion and riket, up to `year`."""
    home = Region.objects.filter(code=code)
    where = (
        Q(region__code__in=[code, RIKET])
        | Q(region__in=home.values("county"))
        | Q(region__in=home.values("police_region"))
    )
    rows = (
        Observation.objects.filter(
            where,
            indicator__code__in=ALL_CODES,
            indicator__municipality__isnull=True,  # shared statistics only, never a local indicator
            period_end__lte=year,
            value__isnull=False,
        )
        .order_by("period_start", "period_end", "period")
        .values_list(
            "indicator__code",
            "indicator__sensitive",
            "region__code",
            "region__kind",
            "region__name",
            "region__short_name",
            "period",
            "period_start",
            "period_end",
            "breakdown",
            "value",
            "margin",
            "ci_low",
            "ci_high",
            "preliminary",
        )
    )
    series: dict[tuple[str, str, str], Yearly] = defaultdict(dict)
    regions: dict[str, tuple[str, str, str]] = {}
    sensitive = set()
    for row in rows:
        ind, flag, reg, kind, name, short, period, start, end, breakdown, value, margin, low, high, prel = row
        if _SUB_YEAR.search(period):
            continue
        if flag:  # national rows only (None = by kind: national, not sensitive)
            sensitive.add(ind)
        regions[reg] = (kind, name, short or name)
        # Pooled NTU years ("2021–2022") count as their last year, as Kolada publishes them.
        pooled_from = start if start < end else None
        series[(ind, reg, breakdown)][end] = Value(value, margin, low, high, prel, pooled_from)
    return _Data(dict(series), regions, frozenset(sensitive))


def _ranked_values(codes: list[str], years: tuple[int, ...]) -> dict[tuple[str, int], dict[str, float]]:
    """One query: (code, year) -> {kommun code: value} for ranking among all kommuner."""
    rows = Observation.objects.filter(
        indicator__code__in=codes,
        indicator__municipality__isnull=True,
        region__kind=Region.Kind.MUNICIPALITY,
        breakdown="",
        period__in=[str(y) for y in years],
        value__isnull=False,
    ).values_list("indicator__code", "period", "region__code", "value")
    out: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for ind, period, reg, value in rows:
        out[(ind, int(period))][reg] = value
    return out


# --- Building the facts ------------------------------------------------------------------------------


def _build(data: _Data, code: str, year: int) -> SectionFacts | None:
    from .narrative import AnalysisFacts

    _kind, name, short = data.regions[code]
    notes = Notes()
    categories = _categories(data, code, notes)  # first: it may hide a year of the total to protect a part
    total, national, preliminary = _crimes(data, code, year, notes)
    ntu_text, ntu_chart = _ntu(data, code, notes)
    open_comparisons = _open_comparisons(data, code, year, notes)
    if not (total or categories or ntu_chart or open_comparisons):
        return None
    text = AnalysisFacts(
        municipality=name,
        place=short,
        code=code,
        year=year,
        open_comparisons=open_comparisons,
        total=total,
        national_total=national,
        categories=categories,
        ntu=ntu_text,
        preliminary=preliminary,
    )
    return SectionFacts(text, replace(text, ntu=ntu_chart), notes)


def _crimes(data: _Data, code: str, year: int, notes: Notes):
    from .analysis import count_from_rate
    from .narrative import CountSeries

    for source in CRIME_SOURCES:
        own = data.get(source.counts or source.rates, code)
        if not own:
            continue

        def series(region: str, source=source) -> CountSeries | None:
            population = {y: v.value for y, v in data.get(source.population, region).items() if v.value > 0}
            if source.counts:
                counts = _published_counts(data.get(source.counts, region), notes, "rates")
                if region == code:  # years hidden to protect a category (a rate would give them back)
                    counts = {y: None if y in notes.hidden_total_years else c for y, c in counts.items()}
                return CountSeries(counts, population) if counts else None
            rates = {y: v.value for y, v in data.get(source.rates, region).items()}
            # Counts behind the published rate (rounded: the rates are published rounded).
            counts = {
                y: round(count_from_rate(r, population[y])) for y, r in rates.items() if y in population
            }
            return CountSeries(counts, population, rates) if rates else None

        notes.use("rates", source.line, source.demo)
        latest = own.get(year)
        return series(code), series(RIKET), bool(latest and latest.preliminary)
    return None, None, False


def _categories(data: _Data, code: str, notes: Notes) -> dict[str, dict[int, int | None]]:
    for source in CATEGORY_SOURCES:
        found = {
            key[len(CATEGORY) :]: values
            for (ind, reg, key), values in data.series.items()
            if ind == source.code and reg == code and key.startswith(CATEGORY) and ";" not in key
        }
        if not found:
            continue
        notes.use("categories", source.line, source.demo)
        names = _pick_categories(found)
        picked = {_lower_first(name): _published_counts(found[name], notes, "categories") for name in names}
        if source.code in data.sensitive:
            _protect_categories(data, source.code, code, found, names, picked, notes)
        return {
            name: counts for name, counts in picked.items() if any(c is not None for c in counts.values())
        }
    return {}


def _protect_categories(data: _Data, indicator: str, code: str, found, names, picked, notes: Notes) -> None:
    """Secondary suppression of a sensitive series: when the chart shows every category and the section
    shows the total from the same series, a category hidden as small could be the total minus the others;
    `protect` hides more (the smallest other), per year. The total's year is then left out too when hidden."""
    from .secondary_suppression import Relation, protect

    total = data.get(indicator, code)
    every = len(names) == len(found)
    for year in sorted({y for counts in picked.values() for y in counts}):
        values = {
            name: round(found[orig][year].value)
            for orig, name in zip(names, picked, strict=True)
            if year in found[orig]
        }
        relations = []
        if every and year in total:
            values["__total__"] = round(total[year].value)
            relations.append(Relation("__total__", tuple(k for k in values if k != "__total__")))
        result = protect(values, relations, threshold())
        for name in result.complementary:
            if name in picked:
                picked[name][year] = None
                notes.hidden.add("categories")
            else:
                notes.hidden.add("rates")
                notes.hidden_total_years.add(year)


def _published_counts(values: Yearly, notes: Notes, key: str) -> dict[int, int | None]:
    """Year -> count, with counts below the threshold (suppression.py) left out as None: never drawn,
    tested or quoted, and the part is noted so that its caption and the draft say so."""
    counts: dict[int, int | None] = {}
    for year, v in values.items():
        counts[year] = None if is_suppressed(v.value) else round(v.value)
        if counts[year] is None:
            notes.hidden.add(key)
    return counts


def _pick_categories(found: dict[str, Yearly]) -> list[str]:
    """The report's five categories when present (in its order), else the largest few."""
    by_folded = {name.casefold(): name for name in found}
    picked = [
        next(by_folded[n] for n in names if n in by_folded)
        for names in REPORT_CATEGORIES
        if any(n in by_folded for n in names)
    ]
    if picked:
        return picked

    def latest(name: str) -> float:
        values = found[name]
        return values[max(values)].value

    return sorted(found, key=latest, reverse=True)[:MAX_CATEGORIES]


GENDERS = {"Män": "kön=M", "Kvinnor": "kön=K"}  # in the order of the reference caption


def _ntu(data: _Data, code: str, notes: Notes):
    """(facts for the text: only shares with a known margin; facts for the charts: every share)."""
    source = next((s for s in NTU_SOURCES if data.get(s.code, code)), None)
    if source is None:
        return None, None
    notes.use("ntu", source.line, source.demo)
    notes.use("ntu_gender", source.line, source.demo)
    # Kolada has no polisregion level; the län then takes its place in the comparison.
    candidates = (data.region_of_kind(Region.Kind.POLICE_REGION), data.region_of_kind(Region.Kind.COUNTY))
    other = next((r for r in candidates if r and data.get(source.code, r)), None)
    return _ntu_facts(data, source.code, code, other, True), _ntu_facts(data, source.code, code, other, False)


def _ntu_facts(data: _Data, indicator: str, code: str, other: str | None, known_margin_only: bool):
    from .narrative import NtuFacts

    def shares(region: str | None, breakdown: str = "") -> dict:
        if not region:
            return {}
        pooled = indicator in KOLADA_POOLED_FOR_KOMMUN and data.regions[region][0] == Region.Kind.MUNICIPALITY
        return _shares(data.get(indicator, region, breakdown), known_margin_only, pooled=pooled)

    by_gender = {label: values for label, key in GENDERS.items() if (values := shares(code, key))}
    if by_gender and not known_margin_only:
        by_gender = {"Samtliga": shares(code), **by_gender}
    return NtuFacts(
        question=NTU_QUESTION,
        kommun=shares(code),
        riket=shares(RIKET),
        polisregion=shares(other),
        polisregion_name=data.regions[other][1] if other else "",
        by_gender=by_gender,
    )


def _shares(values: Yearly, known_margin_only: bool, *, pooled: bool = False) -> dict:
    """Year -> ShareEstimate. A share without a (valid) margin is drawn, but never compared in the text.

    A value stored with a pooled period ("2021–2022") carries those years; ``pooled``: the source pools
    POOLED_YEARS years under the last one's period (Kolada's NTU for a kommun), so the years are added."""
    from .analysis import ShareEstimate, share_interval

    out = {}
    for year, v in values.items():
        years = None
        if v.start is not None:
            years = (v.start, year)
        elif pooled:
            years = (year - POOLED_YEARS + 1, year)
        estimate = None
        try:
            if v.ci_low is not None and v.ci_high is not None:
                estimate = share_interval(v.value, (v.ci_low, v.ci_high), years)
            elif v.margin is not None:
                estimate = share_interval(v.value, v.margin, years)
        except ValueError:
            estimate = None  # an interval that does not hold its value is not used
        if estimate is None and not known_margin_only:
            estimate = ShareEstimate(v.value, v.value, v.value, years)
        if estimate is not None:
            out[year] = estimate
    return out


def _open_comparisons(data: _Data, code: str, year: int, notes: Notes):
    from .analysis import rank
    from .narrative import IndicatorValues, OpenComparisons

    for source in RANK_SOURCES:
        own = data.get(source.code, code)
        if year not in own:
            continue
        if source.demo:
            notes.demo.add("open_comparisons")
            previous = own.get(year - 1)
            return OpenComparisons(
                rank=round(own[year].value),
                previous_rank=round(previous.value) if previous else None,
                name=source.name,
            )
        values = _ranked_values([source.code, *KOLADA_RANKED_INPUTS], (year - 1, year))
        current = rank(values.get((source.code, year), {}), higher_is_better=True)
        before = rank(values.get((source.code, year - 1), {}), higher_is_better=True)
        if code not in current:
            continue
        inputs = [
            IndicatorValues(
                title, values[(ind, year)], higher_is_better=False, low_words=low, high_words=high
            )
            for ind, (title, low, high) in KOLADA_RANKED_INPUTS.items()
            if (ind, year) in values
        ]
        return OpenComparisons(
            rank=current[code].rank,
            of=len(current),
            previous_rank=before[code].rank if code in before else None,
            inputs=inputs,
            name=source.name,
        )
    return None


# --- Captions ----------------------------------------------------------------------------------------


def _captions(facts: AnalysisFacts) -> dict[str, str]:
    captions = {"rates": CAPTION_RATES, "ntu": CAPTION_NTU}
    if facts.categories:
        captions["categories"] = CAPTION_CATEGORIES.format(categories=_join(list(facts.categories), "samt"))
    ntu = facts.ntu
    if ntu and ntu.by_gender:
        # From the first year the first value pools to the last: "2022–2023" for one pooled value.
        firsts = {(s.years or (y, y))[0] for shares in ntu.by_gender.values() for y, s in shares.items()}
        lasts = {y for shares in ntu.by_gender.values() for y in shares}
        first, last = min(firsts), max(lasts)
        span = f"{first}–{last}" if first != last else str(first)
        captions["ntu_gender"] = CAPTION_NTU_GENDER.format(years=span, municipality=facts.municipality)
    return captions


def _join(items: list[str], last: str = "och") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
