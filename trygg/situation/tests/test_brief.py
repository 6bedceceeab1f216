"""The meeting brief: period since the last meeting, counts against the usual level, hotspots, actions."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from pypdf import PdfReader
from scipy import stats

from trygg.documents.docx import render_docx
from trygg.documents.model import Table
from trygg.documents.pdf import render_pdf
from trygg.places.models import Place
from trygg.situation.brief import brief_period, build_brief, count_rows
from trygg.situation.hotspots import hotspot_cache
from trygg.situation.models import Action, FocusArea, Meeting

from .conftest import at

PREVIOUS, CURRENT = dt.date(2024, 5, 7), dt.date(2024, 5, 21)


@pytest.fixture
def meetings(kungalv):
    previous = Meeting.objects.create(municipality=kungalv, date=PREVIOUS, kind=Meeting.Kind.LST_BIWEEKLY)
    current = Meeting.objects.create(municipality=kungalv, date=CURRENT, kind=Meeting.Kind.LST_BIWEEKLY)
    return previous, current


@pytest.fixture
def scenario(meetings, make_incident):
    """Komarken: one skadegörelse a week for 12 weeks, then ten in the brief's period. Kode: steady."""
    for week in range(12):
        make_incident("skadegorelse", at(PREVIOUS - dt.timedelta(days=7 * week + 3), 23), place="Komarken")
        make_incident(
            "ungdomshang", at(PREVIOUS - dt.timedelta(days=7 * week + 2), 21), place="Kode busstation"
        )
    for day in range(10):
        make_incident("skadegorelse", at(PREVIOUS + dt.timedelta(days=1 + day), 23), place="Komarken")
    make_incident("ungdomshang", at(PREVIOUS + dt.timedelta(days=4), 21), place="Kode busstation")
    previous, current = meetings
    area = FocusArea.objects.create(
        municipality=previous.municipality,
        meeting=previous,
        place=Place.objects.get(name="Komarken"),
        problem="Skadegörelse i trapphus",
        start=PREVIOUS,
        weeks=4,
    )
    Action.objects.create(
        municipality=previous.municipality,
        focus_area=area,
        meeting=previous,
        kind="guards",
        title="Väktarrundor Komarken",
        due_date=dt.date(2024, 5, 14),
        status="ongoing",
    )
    Action.objects.create(
        municipality=previous.municipality,
        meeting=previous,
        kind="information",
        title="Brev till vårdnadshavare",
        due_date=dt.date(2024, 6, 30),
        status="planned",
    )
    Action.objects.create(
        municipality=previous.municipality,
        meeting=previous,
        kind="lighting",
        title="Klar belysning",
        status="done",
    )
    return current


def table_rows(doc, title):
    section = next(s for s in doc.sections if s.title == title)
    return next(b for b in section.blocks if isinstance(b, Table)).rows


def test_the_period_runs_from_the_day_after_the_previous_meeting(meetings):
    previous, current = meetings
    period = brief_period(current, current.previous())
    assert (period.start, period.end, period.days) == (dt.date(2024, 5, 8), CURRENT, 13)
    first = brief_period(previous, previous.previous())
    assert (first.start, first.end) == (dt.date(2024, 4, 23), PREVIOUS)


def test_a_rise_at_a_place_is_flagged_against_the_usual_level(scenario):
    rows, total, baseline = count_rows(brief_period(scenario, scenario.previous()), scenario.municipality)
    assert (total, baseline) == (11, 24)
    komarken = next(r for r in rows if r.place == "Komarken")
    assert (komarken.count, round(komarken.expected, 2)) == (10, round(12 * 13 / 84, 2))
    assert komarken.assessment == "Fler än vanligt"
    kode = next(r for r in rows if r.place == "Kode busstation")
    assert kode.count == 1 and kode.assessment == "Som vanligt"


def test_the_brief_lists_counts_hotspots_focus_areas_and_open_overdue_actions(scenario):
    doc = build_brief(scenario, scenario.municipality, today=CURRENT)
    assert doc.cover.title == "Underlag lägesbildsmöte 2024-05-21"
    assert [s.title for s in doc.sections] == [
        "Sammanfattning",
        "Utveckling de senaste veckorna",
        "Nya händelser per plats och kategori",
        "Områden med fler händelser än vanligt",
        "Aktiva fokusområden",
        "Öppna och försenade åtgärder",
        "Bilaga: metod och siffror",
    ]
    counts = table_rows(doc, "Nya händelser per plats och kategori")
    assert counts[0] == ["Komarken", "Skadegörelse/klotter", "10", "1,9", "Fler än vanligt"]
    actions = table_rows(doc, "Öppna och försenade åtgärder")
    assert [r[0] for r in actions] == ["Väktarrundor Komarken", "Brev till vårdnadshavare"]
    assert actions[0][4] == "Pågår (försenad)" and actions[1][4] == "Planerad"
    summary = " ".join(r.text for p in doc.sections[0].blocks for r in p.runs)
    assert "registrerades 11 händelser" in summary and "varav 1 försenade" in summary
    hot = table_rows(doc, "Områden med fler händelser än vanligt")
    assert any("Komarken" in r[0] for r in hot)


def test_partners_read_no_p_values_or_jargon_outside_the_appendix(scenario):
    doc = build_brief(scenario, scenario.municipality, today=CURRENT)
    *body, appendix = doc.sections
    assert appendix.title == "Bilaga: metod och siffror"

    def words(section) -> str:
        parts = []
        for block in section.blocks:
            if isinstance(block, Table):
                parts += [*block.headers, block.caption, *(cell for row in block.rows for cell in row)]
            else:
                parts += [r.text for r in getattr(block, "runs", [])]
        return " ".join(parts)

    text = " ".join(words(s) for s in body)
    for jargon in ("p =", "p <", "Gi*", "Benjamini", "H3", "Exakt test", "exakt test", "hotspot"):
        assert jargon not in text, jargon
    assert "p = " in words(appendix) or "p < " in words(appendix)
    assert "Gi*" in words(appendix) and "Benjamini" in words(appendix)


def test_the_brief_uses_a_constant_number_of_queries(scenario, make_incident, django_assert_num_queries):
    municipality = scenario.municipality
    # previous meeting, 2 × counts per (place, category), data version, counts per cell, places,
    # focus areas, actions
    hotspot_cache.invalidate()
    with django_assert_num_queries(8):
        build_brief(scenario, municipality, today=CURRENT)
    for day in range(40):
        make_incident(
            "nedskrapning",
            at(PREVIOUS + dt.timedelta(days=1 + day % 12), 10),
            place=["Rollsbo", "Skarpe Nord", "Utmarksvägen"][day % 3],
        )
    Action.objects.create(
        municipality=scenario.municipality, kind="other", title="En till", due_date=dt.date(2024, 5, 1)
    )
    with django_assert_num_queries(8):
        build_brief(scenario, municipality, today=CURRENT)
    with django_assert_num_queries(7):  # hotspots from the cache while the data is unchanged
        build_brief(scenario, municipality, today=CURRENT)


def test_the_brief_renders_as_pdf_and_docx(scenario):
    doc = build_brief(scenario, scenario.municipality, today=CURRENT)
    pages = PdfReader(io.BytesIO(render_pdf(doc))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Underlag lägesbildsmöte 2024-05-21" in text and "Väktarrundor Komarken" in text
    document = docx.Document(io.BytesIO(render_docx(doc)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Komarken" in cells and "Fler än vanligt" in cells


def paragraphs(doc, title) -> str:
    section = next(s for s in doc.sections if s.title == title)
    return " ".join(r.text for b in section.blocks if hasattr(b, "runs") for r in b.runs)


def test_a_cell_that_passes_p_005_alone_is_not_flagged_after_benjamini_hochberg(scenario, make_incident):
    # Rollsbo fires: 2 in the 12 weeks before, 3 in the 13-day period. Alone p = 0.019 < 0.05, but eleven
    # place × category cells are tested together and BH needs p ≤ 2 × 0.05 / 11 at rank 2.
    for day in (20, 50):
        make_incident("brand", at(PREVIOUS - dt.timedelta(days=day), 12), place="Rollsbo")
    for day in (2, 5, 8):
        make_incident("brand", at(PREVIOUS + dt.timedelta(days=day), 12), place="Rollsbo")
    quiet = ["Skarpe Nord", "Utmarksvägen", "Guntorpsvägen", "Mimers Hus"]
    for i, place in enumerate(quiet):
        for slug in ("nedskrapning", "ordningsstorning"):
            make_incident(slug, at(PREVIOUS - dt.timedelta(days=10 + i), 12), place=place)
    rows, _, _ = count_rows(brief_period(scenario, scenario.previous()), scenario.municipality)
    rollsbo = next(r for r in rows if r.place == "Rollsbo")
    assert rollsbo.count == 3 and rollsbo.p_value == pytest.approx(stats.binomtest(3, 5, 13 / 97).pvalue)
    assert rollsbo.p_value < 0.05 and rollsbo.assessment == "Som vanligt"
    assert next(r for r in rows if r.place == "Komarken").assessment == "Fler än vanligt"


def test_the_brief_says_the_flags_are_corrected_for_many_comparisons(scenario):
    doc = build_brief(scenario, scenario.municipality, today=CURRENT)
    assert "prövas samtidigt" in paragraphs(doc, "Nya händelser per plats och kategori")
    assert "Benjamini–Hochbergs korrigering" in paragraphs(doc, "Bilaga: metod och siffror")
    assert "efter korrigering för att många kombinationer prövas samtidigt" in paragraphs(
        doc, "Sammanfattning"
    )


def test_the_brief_compares_the_last_four_weeks_with_the_twelve_before_and_the_same_weeks_last_year(
    scenario, make_incident
):
    make_incident("brand", at("2023-04-25", 0, 5), place="Rollsbo")  # first minute of last year's window
    make_incident("brand", at("2023-05-22", 23, 30), place="Rollsbo")  # 21:30 UTC, still 22 May locally
    make_incident("brand", at("2023-05-23", 0, 10), place="Rollsbo")  # 22:10 UTC on the 22nd: outside
    doc = build_brief(scenario, scenario.municipality, today=CURRENT)
    # Recent [2024-04-23, 2024-05-21): 2 + 2 weekly rows, the 10 at Komarken and 1 at Kode. Baseline
    # [2024-01-30, 2024-04-23): weeks 2-11 of the two weekly series.
    p_base = stats.binomtest(15, 35, 4 / 16).pvalue
    p_year = stats.binomtest(15, 17, 1 / 2).pvalue
    assert table_rows(doc, "Utveckling de senaste veckorna") == [
        ["Senaste 4 veckorna (2024-04-23 – 2024-05-20)", "15", "3,8"],
        ["De 12 veckorna före (2024-01-30 – 2024-04-22)", "20", "1,7"],
        ["Samma 4 veckor förra året (2023-04-25 – 2023-05-22)", "2", "0,5"],
    ]
    assert table_rows(doc, "Bilaga: metod och siffror") == [
        ["Senaste 4 veckorna (2024-04-23 – 2024-05-20)", "15", "3,8", "–", "–"],
        [
            "De 12 veckorna före (2024-01-30 – 2024-04-22)",
            "20",
            "1,7",
            "2,25",
            f"p = {p_base:.3f}".replace(".", ","),
        ],
        [
            "Samma 4 veckor förra året (2023-04-25 – 2023-05-22)",
            "2",
            "0,5",
            "7,50",
            f"p = {p_year:.3f}".replace(".", ","),
        ],
    ]
    text = paragraphs(doc, "Utveckling de senaste veckorna")
    assert (
        "Jämfört med de 12 veckorna före registrerades fler händelser per vecka (3,8 mot 1,7 per vecka)."
        in text
    )
    assert "större än vad slumpen brukar ge" in text and "säger inte vad den beror på" in text
    assert "förutsätter att händelserna inträffar oberoende av varandra" in paragraphs(
        doc, "Bilaga: metod och siffror"
    )


def test_a_difference_within_chance_is_not_called_a_change(meetings, make_incident):
    _, current = meetings
    for week in range(16):  # one a week, every week: the same rate in every window
        make_incident("brand", at(CURRENT - dt.timedelta(days=7 * week + 3), 12), place="Rollsbo")
    doc = build_brief(current, current.municipality, today=CURRENT)
    rows = table_rows(doc, "Bilaga: metod och siffror")
    assert rows[1][1:4] == ["12", "1,0", "1,00"]
    text = paragraphs(doc, "Utveckling de senaste veckorna")
    assert "Ingen säker skillnad jämfört med de 12 veckorna före" in text
    assert "ryms inom den slumpmässiga variationen" in text
    assert "Det betyder inte att nivån är oförändrad" in text
    assert "Samma 4 veckor förra året registrerades inga händelser" in text


def test_hotspot_labels_are_swedish_and_the_same_in_the_brief_as_on_the_map(scenario):
    doc = build_brief(scenario, scenario.municipality, today=CURRENT)
    labels = {row[2] for row in table_rows(doc, "Områden med fler händelser än vanligt")}
    assert labels and labels <= {
        "Fler händelser än vanligt (mycket säkert)",
        "Fler händelser än vanligt (säkert)",
        "Fler händelser än vanligt (ganska säkert)",
    }
