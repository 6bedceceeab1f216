"""Section 3 of the follow-up report from the statistics: charts, drafted text, DOCX and PDF read back."""

import io
import re
from html import unescape

import docx
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from trygg.documents.model import Figure, Paragraph
from trygg.indicators import report_section
from trygg.indicators.models import Indicator, Observation, Region
from trygg.plans import report
from trygg.plans.models import FollowUp
from trygg.plans.report import build_follow_up_report, render_document

from .builders import load_demo_indicators, load_demo_plan
from .test_charts import parse, svg_texts

pytestmark = pytest.mark.django_db

DEMO_CAPTIONS = [
    "Anmälda brott per 100 000 invånare (alla brottskategorier) (demodata)",
    "Antal anmälda brott i brottskategorierna våldsbrott, stöld- och tillgreppsbrott, brott mot "
    "narkotikastrafflagen, skadegörelsebrott (inkl. mordbrand) samt bedrägeribrott och annan oredlighet (demodata)",
    "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet. Andel som känner sig mycket/ganska "
    "otrygga samt de som avstår från att gå ut på grund av otrygghet (demodata)",
    "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet, enligt NTU 2017–2023. Andel (%) som "
    "känner sig mycket/ganska otrygga samt de som avstår från att gå ut på grund av otrygghet, av samtliga samt "
    "av männen respektive kvinnorna i Kungälvs kommun (demodata)",
]
CHART_TITLES = [
    "Anmälda brott per 100 000 invånare, Kungälv",
    "Anmälda brott per brottskategori, Kungälv",
    "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet",
    "Otrygghet efter kön, Kungälv",
]


@pytest.fixture
def follow_up(db):
    load_demo_plan()
    return FollowUp.objects.select_related("plan__municipality").get(plan__slug="trygg-i-kungalv", year=2023)


@pytest.fixture
def demo_follow_up(follow_up):
    load_demo_indicators(with_population=False)
    return follow_up


def section_three(document):
    return next(s for s in document.sections if s.number == "3")


def figures_of(document) -> list[Figure]:
    return [b for b in section_three(document).blocks if isinstance(b, Figure)]


def svg_title(svg: str) -> str:
    return parse(svg).find("{http://www.w3.org/2000/svg}title").text


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- The section in the document model ---------------------------------------------------------------


def test_demo_report_section_three_has_the_four_charts_with_the_reference_captions(demo_follow_up):
    document = build_follow_up_report(demo_follow_up)
    figures = figures_of(document)
    assert [f.caption for f in figures] == DEMO_CAPTIONS
    for figure, title in zip(figures, CHART_TITLES, strict=True):
        assert figure.svg.startswith("<svg") and figure.png.startswith(b"\x89PNG\r\n\x1a\n")
        assert svg_title(figure.svg) == title
        texts = svg_texts(figure.svg)
        # The source line is drawn in the chart once; the figure itself carries none (no second line).
        assert texts.count("Källa: Demodata (ej officiell statistik)") == 1
        assert figure.source == ""
        assert figure.alt.endswith("Källa: Demodata (ej officiell statistik)")


def test_charts_come_after_the_coordinators_text(demo_follow_up):
    blocks = section_three(build_follow_up_report(demo_follow_up)).blocks
    first_figure = next(i for i, b in enumerate(blocks) if isinstance(b, Figure))
    assert first_figure > 0
    assert all(not isinstance(b, Figure) for b in blocks[:first_figure])
    assert all(isinstance(b, Figure) for b in blocks[first_figure:])
    assert "I femton år har SKR och MSB" in "".join(r.text for r in blocks[0].runs)


def test_chart_values_are_the_demo_series(demo_follow_up):
    rates, categories, ntu, gender = figures_of(build_follow_up_report(demo_follow_up))
    # The published rates are drawn as published, not recomputed from the derived counts.
    assert "Kungälv 2023: 8\u00a0310; Riket 2023: 13\u00a0610." in rates.alt
    assert "Stöld- och tillgreppsbrott 2023: 1\u00a0498" in categories.alt
    assert "Kungälvs kommun 2023: 23 procent (felmarginal 19,5–26,5)" in ntu.alt
    assert "Polisregion Väst 2023: 27 procent" in ntu.alt
    assert "Samtliga 2023: 23 procent" in gender.alt and "Kvinnor 2023: 33 procent" in gender.alt


def test_facts_are_read_in_one_query(demo_follow_up, django_assert_num_queries):
    with django_assert_num_queries(1):
        facts = report_section.facts_for(demo_follow_up)
    assert (facts.municipality, facts.place, facts.code, facts.year) == (
        "Kungälvs kommun",
        "Kungälv",
        "1482",
        2023,
    )
    assert facts.preliminary is True  # the 2023 crime figures are marked preliminary in the demo data
    assert facts.open_comparisons.rank == 71 and facts.open_comparisons.previous_rank == 89
    assert facts.total.published_rates[2023] == 8310
    assert facts.total.counts[2023] == round(8310 * 47500 / 100_000)  # rate × demo population
    assert facts.ntu.polisregion_name == "Polisregion Väst"


def test_a_later_year_is_never_used_for_an_earlier_follow_up(demo_follow_up):
    demo_follow_up.year = 2021
    facts = report_section.facts_for(demo_follow_up)
    assert max(facts.total.counts) == 2021
    assert max(facts.ntu.kommun) == 2021
    assert facts.open_comparisons is None  # the demo ranks are for 2022 and 2023 only
    captions = [f.caption for f in report_section.current_analysis_blocks(demo_follow_up)]
    assert "enligt NTU 2017–2021" in captions[-1]


# --- The drafted text --------------------------------------------------------------------------------


def test_draft_states_the_rank_and_its_change(demo_follow_up):
    draft = report_section.draft_for(demo_follow_up)
    assert (
        "Kungälvs kommun placerade sig år 2023 på plats 71 (2022: plats 89) av samtliga 290 kommuner" in draft
    )


def test_draft_describes_the_ntu_change_without_overclaiming(demo_follow_up):
    draft = report_section.draft_for(demo_follow_up)
    assert (
        "har ökat från 20 procent 2022 till 23 procent 2023, en skillnad som ligger inom felmarginalen"
        in draft
    )
    ntu_paragraph = next(p for p in draft.split("\n\n") if "20 procent 2022" in p)
    change, *comparisons = ntu_paragraph.split(". ")
    assert "statistiskt säkerställd" not in change
    # Polisregion Väst (27 ± 1,2) and Kungälv (23 ± 3,5): the intervals overlap, but the z-test of the
    # difference (analysis.py) gives p = 0,034 (SE ≈ 1,9, z ≈ 2,1); riket (29 ± 0,5) differs clearly.
    assert (
        "än i Polisregion Väst (27 procent); skillnaden är statistiskt säkerställd (p = 0,034)"
        in comparisons[0]
    )
    assert "än i riket (29 procent); skillnaden är statistiskt säkerställd" in comparisons[1]
    # The demo has no margins for women and men: their shares are drawn but never compared in the text.
    assert "kvinnorna" not in draft


def test_draft_reports_significant_changes_and_says_it_is_demo_data(demo_follow_up):
    draft = report_section.draft_for(demo_follow_up)
    assert "Enligt den preliminära brottsstatistiken" in draft
    assert (
        "det sammanlagda antalet anmälda brott i Kungälv" in draft
        and "statistiskt säkerställd (p = " in draft
    )
    assert (
        "betydligt lägre antal anmälda brott per 100 000 invånare än riket (8\u00a0310 jämfört med 13\u00a0610"
        in draft
    )
    assert "men ökningarna är inte statistiskt säkerställda" in draft
    assert draft.rstrip().endswith(report_section.DEMO_NOTE)


def test_the_coordinator_takes_the_draft_into_the_report(demo_follow_up, personas, login):
    client = login(personas["coordinator"])
    url = reverse("plans:follow_up_edit", args=[demo_follow_up.plan.slug, 2023])
    proposal = client.post(url, {"draft": "1", "current_analysis": "Gammal text"})
    assert proposal.status_code == 200
    draft = report_section.draft_for(demo_follow_up)
    textarea = re.search(
        r"<textarea[^>]*current_analysis[^>]*>(.*?)</textarea>", proposal.content.decode(), re.S
    )
    assert unescape(textarea.group(1)).strip() == draft.strip()
    assert FollowUp.objects.get(pk=demo_follow_up.pk).current_analysis != draft  # not saved yet

    edited = draft.replace("Observera:", "Notera:")
    form = {
        "date": "2024-02-20",
        "recipient": "Kommunstyrelse",
        "introduction": demo_follow_up.introduction,
        "summary": demo_follow_up.summary,
        "current_analysis": edited,
    }
    assert client.post(url, form).status_code == 302
    follow_up = FollowUp.objects.select_related("plan").get(pk=demo_follow_up.pk)
    blocks = section_three(build_follow_up_report(follow_up)).blocks
    text = " ".join("".join(r.text for r in b.runs) for b in blocks if isinstance(b, Paragraph))
    assert "på plats 71 (2022: plats 89)" in text and "Notera:" in text
    assert len([b for b in blocks if isinstance(b, Figure)]) == 4


# --- No data -----------------------------------------------------------------------------------------


def test_without_statistics_the_section_says_so_and_has_no_charts_or_draft(
    follow_up, django_assert_num_queries
):
    with django_assert_num_queries(1):
        blocks = report_section.current_analysis_blocks(follow_up)
    assert len(blocks) == 1 and isinstance(blocks[0], Paragraph)
    text = "".join(run.text for run in blocks[0].runs)
    assert text.startswith("Trygg har ingen statistik för Kungälvs kommun för 2023")
    assert report_section.draft_for(follow_up) == ""
    assert report_section.facts_for(follow_up) is None
    assert figures_of(build_follow_up_report(follow_up)) == []


def test_impossible_statistics_leave_the_section_out_instead_of_breaking_the_report(
    follow_up, regions, caplog
):
    Indicator.objects.create(code="N07540", title="Anmälda brott totalt, antal/100 000 inv", unit="per_100k")
    Indicator.objects.create(code="N01951", title="Invånare totalt, antal", unit="antal")
    for year, rate in (
        (2022, 9000),
        (2023, -50),
    ):  # a negative rate gives a count that cannot be tested or drawn
        _observe("N07540", "1482", year, rate)
        _observe("N01951", "1482", year, 47000)
    assert report_section.facts_for(follow_up) is not None
    assert report_section.current_analysis_blocks(follow_up) == []
    assert report_section.draft_for(follow_up) == ""
    assert "Section 3 charts left out" in caplog.text
    assert [s.number for s in build_follow_up_report(follow_up).sections] == ["1", "2", "3", "4"]


def test_small_counts_are_neither_drawn_nor_quoted_and_the_report_says_so(follow_up, regions):
    Indicator.objects.create(code="BRA.anmalda_brott", title="Anmälda brott", unit="antal")
    for year, violence, theft in ((2022, 3, 400), (2023, 7, 350)):
        _observe("BRA.anmalda_brott", "1482", year, violence, breakdown="brottskategori=Våldsbrott")
        _observe(
            "BRA.anmalda_brott", "1482", year, theft, breakdown="brottskategori=Stöld- och tillgreppsbrott"
        )
    _observe(
        "BRA.anmalda_brott", "1482", 2023, 2, breakdown="brottskategori=Sexualbrott"
    )  # only small values
    facts = report_section.facts_for(follow_up)
    assert facts.categories == {
        "våldsbrott": {2022: None, 2023: 7},
        "stöld- och tillgreppsbrott": {2022: 400, 2023: 350},
    }
    (figure,) = report_section.current_analysis_blocks(follow_up)
    assert figure.caption.endswith("samt stöld- och tillgreppsbrott. Värden under 5 redovisas inte.")
    assert "Källa: Brå" in svg_texts(figure.svg)
    draft = report_section.draft_for(follow_up)
    assert "från 3" not in draft and "våldsbrott" not in draft
    assert "från 400 till 350" in draft
    assert draft.rstrip().endswith("Värden under 5 redovisas inte.")


# --- Lookup order: official series before demo ------------------------------------------------------


def _observe(code, region, year, value, breakdown="", **extra):
    Observation.objects.create(
        indicator=Indicator.objects.get(code=code),
        region=Region.objects.get(code=region),
        period=str(year),
        period_start=year,
        period_end=year,
        breakdown=breakdown,
        value=value,
        imported_at=timezone.now(),
        **extra,
    )


def test_official_kolada_series_win_over_the_demo_and_are_not_marked_demo(demo_follow_up):
    for year, rate, population in ((2022, 9000, 47000), (2023, 8000, 47500)):
        _observe("N07540", "1482", year, rate)
        _observe("N01951", "1482", year, population)
    for year, share in ((2022, 21), (2023, 22)):
        _observe("N07609", "1482", year, share, margin=3)
    facts = report_section.facts_for(demo_follow_up)
    assert facts.total.published_rates == {2022: 9000, 2023: 8000}
    assert facts.national_total is None  # no official riket series: never the demo riket beside it
    figures = report_section.current_analysis_blocks(demo_follow_up)
    captions = [f.caption for f in figures]
    assert captions[0] == "Anmälda brott per 100 000 invånare (alla brottskategorier)"
    assert captions[1].endswith("(demodata)")  # categories still only in the demo data
    assert captions[2] == report_section.CAPTION_NTU
    assert "Källa: Brå och SCB via Kolada" in svg_texts(figures[0].svg)
    assert "Kungälvs kommun 2022–2023: 22 procent (felmarginal 19–25)" in figures[2].alt  # pooled by Kolada
    assert "Polisregion Väst" not in figures[2].alt  # the demo polisregion series is not mixed in


def test_kommunindex_is_ranked_among_all_kommuner_with_one_more_query(
    demo_follow_up, django_assert_num_queries
):
    kommuner = list(Region.objects.municipalities().exclude(code="1482").values_list("code", flat=True)[:11])
    # Kungälv has the third highest index in 2023 (higher is better) and the fifth in 2022.
    for i, code in enumerate(kommuner):
        _observe("N00301", code, 2023, 90 - i * 5)  # 90, 85, 80, …
        _observe("N00301", code, 2022, 90 - i * 2)  # 90, 88, 86, 84, 82, …
    _observe("N00301", "1482", 2023, 82)
    _observe("N00301", "1482", 2022, 83)
    # Violent crime per 100 000: Kungälv lowest of the twelve.
    for i, code in enumerate(kommuner):
        _observe("N07403", code, 2023, 800 + i * 10)
    _observe("N07403", "1482", 2023, 500)
    with django_assert_num_queries(2):
        facts = report_section.facts_for(demo_follow_up)
    assert (facts.open_comparisons.rank, facts.open_comparisons.previous_rank, facts.open_comparisons.of) == (
        3,
        5,
        12,
    )
    draft = report_section.draft_for(demo_follow_up)
    assert (
        "placerade sig år 2023 på plats 3 (2022: plats 5) av samtliga 12 kommuner i Koladas kommunindex för "
        "Trygghet och säkerhet" in draft
    )
    assert (
        "I jämförelsen är Kungälvs kommun bland de 25 procent av kommunerna med minst antal anmälda "
        "våldsbrott per 100 000 invånare." in draft
    )


# --- Registration ------------------------------------------------------------------------------------


def test_provider_and_drafter_are_registered_once_even_if_ready_runs_again():
    config = apps.get_app_config("indicators")
    config.ready()
    config.ready()
    providers = [p for p in report._current_analysis_providers if p is report_section.current_analysis_blocks]
    drafters = [d for d in report._current_analysis_drafters if d is report_section.draft_for]
    assert len(providers) == 1 and len(drafters) == 1
    assert report.has_current_analysis_drafter()


# --- DOCX and PDF read back --------------------------------------------------------------------------


def test_docx_carries_the_four_charts_and_their_captions(demo_follow_up, follow_up):
    word = docx.Document(io.BytesIO(render_document(build_follow_up_report(demo_follow_up), "docx")))
    assert len(word.inline_shapes) == 4
    paragraphs = [p.text for p in word.paragraphs]
    for caption in DEMO_CAPTIONS:
        assert caption in paragraphs
    alts = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert all(alt.endswith("Källa: Demodata (ej officiell statistik)") for alt in alts)
    # The source is in the picture; it is not printed again under it.
    assert not [p for p in paragraphs if p.startswith("Källa:")]


def test_docx_without_statistics_has_no_pictures(follow_up):
    word = docx.Document(io.BytesIO(render_document(build_follow_up_report(follow_up), "docx")))
    assert len(word.inline_shapes) == 0


def test_pdf_draws_the_charts_in_section_three(demo_follow_up):
    reader = PdfReader(io.BytesIO(render_document(build_follow_up_report(demo_follow_up), "pdf")))
    pages = [page.extract_text() for page in reader.pages]
    start = next(i for i, t in enumerate(pages) if "3 Nulägesanalys" in t and "Innehållsförteckning" not in t)
    end = next(i for i, t in enumerate(pages) if i > start and "4 Uppföljning av planens delområden" in t)
    section = squash(" ".join(pages[start : end + 1]))
    before = squash(" ".join(pages[:start]))
    for caption in DEMO_CAPTIONS:
        assert squash(caption) in section
    # The charts are vector drawings whose text (titles, axis labels, source) is real PDF text,
    # found only where the charts are drawn.
    for text in [
        *CHART_TITLES,
        "Anmälda brott per 100 000 invånare",
        "Andel (%)",
        "Källa: Demodata (ej officiell statistik)",
    ]:
        assert squash(text) in section
    assert squash("Otrygghet efter kön, Kungälv") not in before
    assert section.count(squash("Källa: Demodata (ej officiell statistik)")) == 4  # once per chart


def test_kolada_ntu_for_a_kommun_is_labelled_with_its_two_pooled_years(demo_follow_up):
    for year, share in ((2022, 21), (2023, 25)):
        _observe("N07609", "1482", year, share, margin=3)
        _observe("N07609", "14", year, 24, margin=1)  # the län: one survey year, not pooled
    section = report_section.section_for(demo_follow_up)
    ntu = section.text_facts.ntu
    assert ntu.kommun[2023].label(2023) == "2022–2023"
    assert ntu.kommun[2022].label(2022) == "2021–2022"
    assert ntu.polisregion[2023].label(2023) == "2023"
    draft = report_section.draft_for(demo_follow_up)
    assert "från 21 procent 2021–2022 till 25 procent 2022–2023" in draft
    assert "Andelen år 2022–2023 är högre i Kungälv" in draft


def test_a_period_stored_as_pooled_years_keeps_them(demo_follow_up):
    Observation.objects.create(
        indicator=Indicator.objects.get(code="N07609"),
        region=Region.objects.get(code="1482"),
        period="2022–2023",
        period_start=2022,
        period_end=2023,
        value=22,
        margin=3,
        imported_at=timezone.now(),
    )
    ntu = report_section.section_for(demo_follow_up).text_facts.ntu
    assert ntu.kommun[2023].years == (2022, 2023)


def test_a_sensitive_category_series_hides_a_second_category_so_the_small_one_cannot_be_derived(
    follow_up, regions
):
    # Brå-style counts flagged sensitive: every category shown and the total from the same series, so a
    # category below 5 would be the total minus the others.
    indicator = Indicator.objects.create(
        code="BRA.anmalda_brott", title="Anmälda brott", unit="antal", sensitive=True
    )
    if not Indicator.objects.filter(code="N01951").exists():
        Indicator.objects.create(code="N01951", title="Folkmängd", unit="antal")
    by_year = {
        2022: {"Våldsbrott": 8, "Stöld- och tillgreppsbrott": 40, "Skadegörelsebrott": 12},
        2023: {"Våldsbrott": 3, "Stöld- och tillgreppsbrott": 50, "Skadegörelsebrott": 12},
    }
    for year, categories in by_year.items():
        _observe("BRA.anmalda_brott", "1482", year, sum(categories.values()))
        _observe("N01951", "1482", year, 47000)
        for name, value in categories.items():
            _observe("BRA.anmalda_brott", "1482", year, value, breakdown=f"brottskategori={name}")
    facts = report_section.facts_for(follow_up)
    shown = facts.categories
    assert shown["våldsbrott"][2023] is None  # below 5
    assert shown["skadegörelsebrott"][2023] is None  # hidden beside it: the smallest other
    assert shown["stöld- och tillgreppsbrott"][2023] == 50
    assert shown["våldsbrott"][2022] == 8  # nothing small in 2022: nothing hidden
    total = facts.total.counts[2023]
    hidden = [v for v in (shown["våldsbrott"][2023], shown["skadegörelsebrott"][2023]) if v is None]
    assert total is None or len(hidden) >= 2  # total − shown parts leaves two unknowns, never one
    # Not flagged: the source publishes the figures, primary suppression only.
    Indicator.objects.filter(pk=indicator.pk).update(sensitive=False)
    assert report_section.facts_for(follow_up).categories["skadegörelsebrott"][2023] == 12
