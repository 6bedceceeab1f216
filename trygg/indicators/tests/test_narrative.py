"""The drafted section 3 text: says what the data supports, like the reference report, and nothing more."""

import csv
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from trygg.documents.markdown import parse_markdown
from trygg.documents.model import Figure, Paragraph
from trygg.indicators.analysis import share_interval
from trygg.indicators.narrative import (
    AnalysisFacts,
    CountSeries,
    IndicatorValues,
    NtuFacts,
    OpenComparisons,
    current_analysis_figures,
    draft_current_analysis,
)

MUNICIPALITIES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "municipalities.csv"


def kommun_codes() -> list[str]:
    with MUNICIPALITIES.open(encoding="utf-8") as handle:
        return [row["municipality_code"] for row in csv.DictReader(handle)]


def all_kommuner(codes, seed, mean, sd, kungalv):
    """Values for all 290 kommuner, Kungälv's fixed, the others drawn around a mean."""
    rng = np.random.default_rng(seed)
    values = {code: float(max(1.0, rng.normal(mean, sd))) for code in codes}
    values["1482"] = kungalv
    return values


# A smooth rise to 2019 and a fall since: significant falls in 2022 and 2023, not in 2021.
TOTAL = [4057, 4414, 4578, 4793, 4794, 4834, 4676, 4533, 4263, 3947]
POPULATION = [42_300, 42_900, 43_600, 44_300, 44_800, 45_300, 45_800, 46_400, 47_000, 47_500]


@pytest.fixture(scope="module")
def kungalv():
    codes = kommun_codes()
    assert len(codes) == 290 and "1482" in codes
    return AnalysisFacts(
        municipality="Kungälvs kommun",
        place="Kungälv",
        code="1482",
        year=2023,
        preliminary=True,
        open_comparisons=OpenComparisons(
            rank=71,
            of=290,
            previous_rank=89,
            inputs=[
                IndicatorValues("våldsbrott", all_kommuner(codes, 1, 900, 200, 500)),
                IndicatorValues("skadegörelsebrott", all_kommuner(codes, 2, 1200, 300, 700)),
                IndicatorValues("utvecklade bränder i byggnad", all_kommuner(codes, 3, 80, 20, 40)),
                IndicatorValues("stöld- och tillgreppsbrott", all_kommuner(codes, 4, 2500, 500, 3500)),
                IndicatorValues("personskador", all_kommuner(codes, 5, 12, 2, 12)),  # middle: not mentioned
            ],
        ),
        # Ten years: each change is tested against the spread of the other years (quasi-Poisson).
        total=CountSeries(
            dict(zip(range(2014, 2024), TOTAL, strict=True)),
            dict(zip(range(2014, 2024), POPULATION, strict=True)),
        ),
        national_total=CountSeries(
            {2019: 1_549_000, 2020: 1_566_000, 2021: 1_509_000, 2022: 1_478_000, 2023: 1_470_000},
            {2019: 10_330_000, 2020: 10_380_000, 2021: 10_450_000, 2022: 10_520_000, 2023: 10_550_000},
        ),
        categories={
            "våldsbrott": {2020: 500, 2021: 510, 2022: 520, 2023: 545},
            "stöld- och tillgreppsbrott": {2020: 1500, 2021: 1380, 2022: 1230, 2023: 1105},
            "brott mot narkotikastrafflagen": {2020: 240, 2021: 255, 2022: 250, 2023: 262},
            "skadegörelsebrott": {2020: 420, 2021: 440, 2022: 430, 2023: 448},
            "bedrägeribrott": {2020: 650, 2021: 690, 2022: 700, 2023: 640},
        },
        ntu=NtuFacts(
            question="känner sig otrygga vid utevistelse sent på kvällen i det egna bostadsområdet",
            kommun={
                2021: share_interval(19, (15, 23)),
                2022: share_interval(20, (17, 24)),
                2023: share_interval(23, (19, 27)),
            },
            riket={2022: share_interval(27, 0.5), 2023: share_interval(28, 0.5)},
            polisregion={2023: share_interval(29, 1)},
            polisregion_name="Polisregion Väst",
            by_gender={
                "Kvinnor": {2023: share_interval(31, (27, 36))},
                "Män": {2023: share_interval(15, (11, 20))},
            },
        ),
    )


@pytest.fixture(scope="module")
def draft(kungalv):
    return draft_current_analysis(kungalv)


def test_rank_this_year_and_last(draft):
    assert (
        "Kungälvs kommun placerade sig år 2023 på plats 71 (2022: plats 89) av samtliga 290 kommuner" in draft
    )


def test_quartile_statements_for_the_inputs(draft):
    assert (
        "I jämförelsen är Kungälvs kommun bland de 25 procent av kommunerna med minst antal våldsbrott, "
        "skadegörelsebrott och utvecklade bränder i byggnad, men bland de 25 procent av kommunerna med högst "
        "antal stöld- och tillgreppsbrott." in draft
    )
    assert "personskador" not in draft


def test_significant_decrease_for_the_second_year_in_a_row(draft):
    assert (
        "Enligt den preliminära brottsstatistiken från Brottsförebyggande rådet (Brå) för år 2023 har Kungälvs "
        "kommun för andra året i rad en statistiskt säkerställd minskning av det sammanlagda antalet anmälda "
        "brott (4\u00a0263 år 2022, 3\u00a0947 år 2023; p < 0,001)." in draft
    )


def test_much_lower_rate_than_riket_and_falling_trend(draft, kungalv):
    assert "Kungälvs kommun har betydligt lägre antal anmälda brott per 100 000 invånare än riket" in draft
    # Described, not tested: the kommun is part of riket and reported crime is a census.
    ours = kungalv.total.counts[2023] / kungalv.total.population[2023]
    theirs = 1_470_000 / 10_550_000
    percent = round((1 - ours / theirs) * 100)
    sentence = next(s for s in draft.split(". ") if "än riket" in s and "per 100 000" in s)
    assert f"{percent} procent lägre)" in sentence
    assert "p = " not in sentence and "p < " not in sentence and "säkerställ" not in sentence
    assert (
        "Sedan 2020 är det en sjunkande trend i antalet anmälda brott per 100 000 invånare i Kungälv" in draft
    )


def test_category_changes_are_called_significant_only_when_tested_so(draft):
    assert (
        "Antalet anmälda stöld- och tillgreppsbrott har minskat med 26 procent mellan 2020 och 2023" in draft
    )
    assert "en statistiskt säkerställd minskning (p = 0,010)" in draft
    assert (
        "Antalet anmälda våldsbrott (från 520 till 545), brott mot narkotikastrafflagen (från 250 till 262) och "
        "skadegörelsebrott (från 430 till 448) har ökat jämfört med 2022, men ökningarna är inte statistiskt "
        "säkerställda." in draft
    )
    # Four smooth points of a small count are not a trend once counting noise is accounted for.
    assert "våldsbrott har ökat med" not in draft


def test_ntu_increase_within_the_margin_is_not_claimed(draft):
    assert (
        "Andelen som känner sig otrygga vid utevistelse sent på kvällen i det egna bostadsområdet i Kungälv har "
        "ökat från 20 procent 2022 till 23 procent 2023, en skillnad som ligger inom felmarginalen (p = "
        in draft
    )
    ntu_paragraph = next(p for p in draft.split("\n\n") if p.startswith("Andelen som"))
    assert "säkerställd ökning" not in ntu_paragraph
    assert (
        "lägre i Kungälv (23 procent) än i riket (28 procent); skillnaden är statistiskt säkerställd" in draft
    )
    assert "högre bland kvinnorna (31 procent) än bland männen (15 procent)" in draft


def test_method_sentence_states_test_and_level(draft):
    # The total has ten years (over-dispersion allowed for), the categories four (exact test).
    assert (
        "Förändringar i antal anmälda brott kallas statistiskt säkerställda när testet ger p < 0,05. När minst "
        "fem års värden finns tar testet hänsyn till att antalen kan variera mer mellan åren än ren slump "
        "(kvasi-Poisson" in draft
    )
    assert (
        "Förändringar i antal anmälda brott för serier med färre än fem år kallas statistiskt säkerställda när "
        "ett exakt test (villkorat binomialtest för Poissonfördelade antal) ger p < 0,05." in draft
    )
    assert "En trend anges bara när lutningen över de senaste fyra åren" in draft
    assert "prövas med ett z-test av skillnaden" in draft and "felmarginalen delad med 1,96" in draft
    assert "Jämförelsen med riket är beskrivande" in draft


def test_short_series_state_only_the_exact_test(kungalv):
    total = CountSeries({2021: 4400, 2022: 3905, 2023: 3598}, {})
    text = draft_current_analysis(dataclasses.replace(kungalv, total=total, national_total=None))
    assert "kvasi-Poisson" not in text
    assert (
        "Förändringar i antal anmälda brott kallas statistiskt säkerställda när ett exakt test (villkorat "
        "binomialtest för Poissonfördelade antal) ger p < 0,05." in text
    )


def test_a_wobbling_total_is_not_called_significant(kungalv):
    # ±5 % from year to year around 4 000: the latest fall of 7 % is ordinary for this series.
    wobble = [4000, 4350, 3900, 4300, 3950, 4400, 4020, 4380, 4100, 3800]
    total = CountSeries(dict(zip(range(2014, 2024), wobble, strict=True)), {})
    text = draft_current_analysis(dataclasses.replace(kungalv, total=total, national_total=None))
    assert (
        "var det sammanlagda antalet anmälda brott i Kungälv 3\u00a0800 år 2023 mot 4\u00a0100 år 2022, en "
        "minskning som inte är statistiskt säkerställd" in text
    )
    assert "i rad" not in text and "trend i antalet" not in text


def test_draft_is_plain_markdown_paragraphs(draft):
    blocks = parse_markdown(draft)
    assert len(blocks) == 5
    assert all(isinstance(block, Paragraph) for block in blocks)


def test_nothing_is_said_without_data():
    assert draft_current_analysis(AnalysisFacts("Kungälvs kommun", "Kungälv", "1482", 2023)) == ""


def test_missing_parts_are_left_out(kungalv):
    facts = dataclasses.replace(kungalv, open_comparisons=None, national_total=None, ntu=None, categories={})
    text = draft_current_analysis(facts)
    assert "placerade sig" not in text
    assert "riket" not in text
    assert "NTU" not in text and "felmarginal" not in text
    assert "för andra året i rad" in text


def test_not_significant_total_change_is_worded_as_such(kungalv):
    total = CountSeries({2021: 4400, 2022: 3905, 2023: 3880}, {})
    text = draft_current_analysis(dataclasses.replace(kungalv, total=total, national_total=None))
    assert (
        "var det sammanlagda antalet anmälda brott i Kungälv 3\u00a0880 år 2023 mot 3\u00a0905 år 2022, en "
        "minskning som inte är statistiskt säkerställd (p = 0,79)." in text
    )
    assert "i rad" not in text
    assert "statistiskt säkerställd minskning av det sammanlagda" not in text


def test_one_sided_quartile_statement_has_no_contrast(kungalv):
    only_good = dataclasses.replace(
        kungalv.open_comparisons, inputs=kungalv.open_comparisons.inputs[:1], previous_rank=None
    )
    text = draft_current_analysis(dataclasses.replace(kungalv, open_comparisons=only_good))
    assert "på plats 71 av samtliga 290 kommuner" in text
    assert "bland de 25 procent av kommunerna med minst antal våldsbrott." in text
    assert ", men " not in text.split("\n\n")[0]


def test_ntu_change_beyond_the_margin_is_called_significant(kungalv):
    ntu = dataclasses.replace(
        kungalv.ntu, kommun={2022: share_interval(15, 2), 2023: share_interval(23, 3)}, by_gender={}
    )
    text = draft_current_analysis(dataclasses.replace(kungalv, ntu=ntu))
    assert "ökat från 15 procent 2022 till 23 procent 2023, en statistiskt säkerställd ökning" in text


def test_figures_for_the_section(kungalv):
    figures = current_analysis_figures(kungalv)
    assert [type(f) for f in figures] == [Figure] * 4
    assert figures[0].caption == "Anmälda brott per 100 000 invånare (alla brottskategorier)."
    assert "Kungälv 2023: 8\u00a0309; Riket 2023: 13\u00a0934." in figures[0].alt
    assert "Stöld- och tillgreppsbrott 2023: 1\u00a0105" in figures[1].alt
    assert "Polisregion Väst 2023: 29 procent" in figures[2].alt
    assert "Kvinnor 2023: 31 procent" in figures[3].alt
    assert all(f.svg.startswith("<svg") and f.png.startswith(b"\x89PNG") for f in figures)


def test_no_figures_without_data():
    assert current_analysis_figures(AnalysisFacts("Kungälvs kommun", "Kungälv", "1482", 2023)) == []


def test_pooled_kommun_values_are_compared_with_the_latest_value_that_shares_no_year():
    """Kolada's NTU values for a kommun are pooled over two years and overlap year by year: the draft
    compares 2022–2023 with 2020–2021, never with 2021–2022."""
    from trygg.indicators.analysis import share_interval
    from trygg.indicators.narrative import AnalysisFacts, NtuFacts, draft_current_analysis

    kommun = {
        2021: share_interval(20, 3.5, years=(2020, 2021)),
        2022: share_interval(22, 3.5, years=(2021, 2022)),
        2023: share_interval(23, 3.5, years=(2022, 2023)),
    }
    ntu = NtuFacts(question="känner sig otrygga", kommun=kommun)
    text = draft_current_analysis(AnalysisFacts("Kungälvs kommun", "Kungälv", "1482", 2023, ntu=ntu))
    assert "från 20 procent 2020–2021 till 23 procent 2022–2023" in text
    assert "2021–2022" not in text
