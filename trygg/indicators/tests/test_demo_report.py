"""The 2023 demo report: section 3 holds the reference text, the drafted "Statistiken i korthet" and the
four charts, in DOCX and PDF (read back), and the draft agrees with the hand-written reference text."""

import io
import re

import docx
import pytest
from pypdf import PdfReader

from trygg.accounts.models import AuditEvent
from trygg.demo.indicators import DRAFT_HEADING_LINE, add_statistics_drafts
from trygg.documents.model import Figure, Paragraph
from trygg.indicators import report_section
from trygg.plans.models import FollowUp
from trygg.plans.report import build_follow_up_report, render_document

from .builders import demo_municipalities, load_demo_indicators, load_demo_plan

pytestmark = pytest.mark.django_db

# Claims of the reference text (trygg/demo/data/plans/kungalv_2023.yaml) that the draft must state as well.
DRAFT_SENTENCES = [
    "på plats 71 (2022: plats 89) av samtliga 290 kommuner",
    "betydligt lägre antal anmälda brott per 100 000 invånare än riket",
    "Sedan 2020 är det en sjunkande trend i antalet anmälda brott per 100 000 invånare i Kungälv",
    "Antalet anmälda stöld- och tillgreppsbrott har minskat med 27 procent mellan 2020 och 2023",
    "har ökat från 20 procent 2022 till 23 procent 2023, en skillnad som ligger inom felmarginalen",
    "Andelen år 2023 är lägre i Kungälv (23 procent) än i riket (29 procent); skillnaden är statistiskt "
    "säkerställd",
]
CHART_TITLES = [
    "Anmälda brott per 100 000 invånare, Kungälv",
    "Anmälda brott per brottskategori, Kungälv",
    "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet",
    "Otrygghet efter kön, Kungälv",
]


def demo_follow_up() -> FollowUp:
    return FollowUp.objects.select_related("plan").get(plan__slug="trygg-i-kungalv", year=2023)


@pytest.fixture
def demo(db):
    load_demo_plan()
    load_demo_indicators(with_population=False)
    return demo_follow_up()


def add_statistics_draft_to_demo() -> bool:
    """Draft into the demo follow-ups (Kungälv's and Ale's); True when Kungälv's 2023 follow-up got one."""
    before = FollowUp.objects.filter(plan__slug="trygg-i-kungalv", year=2023).values_list(
        "current_analysis", flat=True
    )
    old = next(iter(before), None)
    add_statistics_drafts(demo_municipalities(), acting_user=None)
    new = next(iter(before.all()), None)
    return old is not None and new != old


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_draft_is_appended_after_the_reference_text_under_its_heading(demo):
    reference = demo.current_analysis.rstrip()
    assert add_statistics_draft_to_demo() is True
    text = demo_follow_up().current_analysis
    assert text.startswith(reference)
    appended = text[len(reference) :]
    assert appended.lstrip().startswith(DRAFT_HEADING_LINE)
    assert report_section.draft_for(demo).strip() in appended
    for sentence in DRAFT_SENTENCES:
        assert sentence in appended
    # Written through the plans action, which audits the change.
    assert AuditEvent.objects.filter(action="followup.update", object_id=str(demo.pk)).count() == 1


def test_adding_the_draft_twice_changes_nothing(demo):
    assert add_statistics_draft_to_demo() is True
    once = demo_follow_up().current_analysis
    assert add_statistics_draft_to_demo() is False
    assert demo_follow_up().current_analysis == once
    assert once.count("**Statistiken i korthet**") == 1
    assert AuditEvent.objects.filter(action="followup.update").count() == 1


def test_nothing_is_added_without_statistics_or_without_the_demo_plan(db):
    assert add_statistics_draft_to_demo() is False  # no demo plan
    load_demo_plan()
    before = demo_follow_up().current_analysis
    assert add_statistics_draft_to_demo() is False  # no statistics
    assert demo_follow_up().current_analysis == before


def test_the_draft_does_not_contradict_the_reference_text(demo):
    draft = report_section.draft_for(demo)
    # Exactly the second year in a row: 2021 is not a significant decrease.
    assert "för tredje året i rad" not in draft
    # The reference says the fall is "signifikant" in 2023 and NTU rose "från 20 procent 2022, till 23
    # procent 2023" without claiming significance; the draft must not call that rise significant.
    ntu = next(p for p in draft.split("\n\n") if "20 procent 2022" in p)
    assert "inom felmarginalen" in ntu.split(".")[0]
    assert "Kungälv (23 procent) än i riket (29 procent)" in ntu


def test_the_total_change_is_judged_against_the_spread_of_the_demo_series(demo):
    """The demo series vary more than counting noise, as real ones do; the draft follows from the data, so
    its verdict on 2022 → 2023 must agree with its own p-value, use the counts the series give, and be at
    least as cautious as the plain exact test that ignores the extra spread."""
    from decimal import Decimal

    import yaml
    from scipy.stats import binomtest

    from trygg.demo.indicators import DATA_FILE

    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    series = {e["code"]: e for e in data["demo"]}
    rate = {str(k).rstrip("p"): v for k, v in series["DEMO.anmalda_brott_per_100k"]["series"]["1482"].items()}
    pop = {str(k): v for k, v in series["DEMO.folkmangd"]["series"]["1482"].items()}
    counts = {y: round(rate[y] * pop[y] / 100_000) for y in ("2022", "2023")}
    draft = report_section.draft_for(demo)
    sentence = re.search(
        r"anmälda brott i Kungälv ([\d\u00a0 ]+) år 2023 mot ([\d\u00a0 ]+) år 2022, en (minskning|ökning) "
        r"som (inte )?är statistiskt säkerställd \(p = ([\d,]+)\)",
        draft,
    )
    assert sentence, draft
    now, before = (int(re.sub(r"\D", "", g)) for g in sentence.group(1, 2))
    assert (now, before) == (counts["2023"], counts["2022"])
    p = float(Decimal(sentence.group(5).replace(",", ".")))
    assert (sentence.group(4) is None) == (p < 0.05)
    w = pop["2023"] / (pop["2022"] + pop["2023"])
    plain = binomtest(now, now + before, w).pvalue
    assert p >= round(plain, 3)


def test_section_three_has_reference_text_then_draft_then_the_four_charts(demo):
    add_statistics_draft_to_demo()
    document = build_follow_up_report(demo_follow_up())
    blocks = next(s for s in document.sections if s.number == "3").blocks
    texts = ["".join(r.text for r in b.runs) if isinstance(b, Paragraph) else None for b in blocks]
    reference = next(i for i, t in enumerate(texts) if t and t.startswith("I femton år har SKR och MSB"))
    heading = next(i for i, t in enumerate(texts) if t and t.startswith("Statistiken i korthet"))
    first_figure = next(i for i, b in enumerate(blocks) if isinstance(b, Figure))
    assert reference < heading < first_figure
    assert sum(isinstance(b, Figure) for b in blocks) == 4
    body = " ".join(t for t in texts[heading:first_figure] if t)
    assert "på plats 71 (2022: plats 89)" in body and "sammanlagda antalet anmälda brott" in body


def test_docx_carries_the_draft_and_the_four_charts(demo):
    add_statistics_draft_to_demo()
    data = render_document(build_follow_up_report(demo_follow_up()), "docx")
    word = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Statistiken i korthet (utkast framtaget av Trygg ur statistiken" in text
    for sentence in DRAFT_SENTENCES:
        assert sentence in text
    assert len(word.inline_shapes) == 4
    alts = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert all(alt.endswith("Källa: Demodata (ej officiell statistik)") for alt in alts)
    # The draft comes before the pictures' captions.
    assert text.index("sammanlagda antalet anmälda brott") < text.index(
        "Anmälda brott per 100 000 invånare (alla"
    )


def test_pdf_carries_the_draft_and_the_four_charts_in_section_three(demo):
    add_statistics_draft_to_demo()
    reader = PdfReader(io.BytesIO(render_document(build_follow_up_report(demo_follow_up()), "pdf")))
    pages = [page.extract_text() for page in reader.pages]
    start = next(i for i, t in enumerate(pages) if "3 Nulägesanalys" in t and "Innehållsförteckning" not in t)
    end = next(i for i, t in enumerate(pages) if i > start and "4 Uppföljning av planens delområden" in t)
    section = squash(" ".join(pages[start : end + 1]))
    for sentence in ["Statistiken i korthet", "plats 71", "andra året i rad", "inom felmarginalen"]:
        assert squash(sentence) in section
    for sentence in DRAFT_SENTENCES:
        assert squash(sentence) in section
    for title in CHART_TITLES:
        assert squash(title) in section
    assert section.count(squash("Källa: Demodata (ej officiell statistik)")) == 4
    assert section.index(squash("andra året i rad")) < section.index(squash(CHART_TITLES[0]))
