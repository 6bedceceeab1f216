"""The kartläggning and the åtgärdsplan as documents, read back from HTML, DOCX and PDF: sections, problems,
causes (with their tags), measures and the status that came back from the plan."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from trygg.assessments import actions
from trygg.assessments.chain import load_action_plan, load_assessment
from trygg.assessments.document import build_action_plan_document, build_assessment_document, evidence_info
from trygg.assessments.models import Consultation, Evidence, Source
from trygg.documents.docx import render_docx
from trygg.documents.html import render_html
from trygg.documents.pdf import render_pdf
from trygg.plans import actions as plan_actions

from .builders import make_chain


@pytest.fixture
def adopted(municipality, personas):
    user = personas["coordinator"]
    chain = make_chain(municipality, user)
    a = chain["assessment"]
    actions.do_save(
        Source(assessment=a, name="Brå, anmälda brott", reason="Officiell statistik"), acting_user=user
    )
    actions.do_save(
        Source(assessment=a, name="Skolenkät", used=False, reason="För få svar 2023"), acting_user=user
    )
    actions.do_save(
        Evidence(
            assessment=a,
            kind=Evidence.Kind.TEXT,
            title="Polisens lägesbild",
            interpretation="Stölderna sker nattetid.",
        ),
        acting_user=user,
    )
    actions.do_save(
        Consultation(assessment=a, date=dt.date(2024, 3, 12), participants="Polisen, Kungälvsbostäder"),
        acting_user=user,
    )
    result = actions.do_adopt_action_plan(
        chain["action_plan"], decided_by="Kommunfullmäktige", decided_on=dt.date(2024, 6, 17),
        diary_number="KS2024/0123", acting_user=user,
    )  # fmt: skip
    follow_up = plan_actions.do_create_follow_up(
        {"plan": result.plan, "year": 2024, "date": dt.date(2025, 2, 20)}, acting_user=user
    ).obj
    plan_actions.do_set_activity_status(
        result.created[0], follow_up, "ongoing_deviation", "Väktare sommartid.", acting_user=user
    )
    chain["action_plan"].refresh_from_db()
    return chain


def _docx_text(data: bytes) -> tuple[list[str], str]:
    d = docx.Document(io.BytesIO(data))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    text = "\n".join(p.text for p in d.paragraphs)
    for table in d.tables:
        for row in table.rows:
            text += "\n" + " | ".join(c.text for c in row.cells)
    return headings, text


def test_the_kartlaggning_has_its_sections_problems_and_cause_tree(adopted):
    data = load_assessment(adopted["assessment"])
    doc = build_assessment_document(data, evidence_info(data))
    titles = [s.title for s in doc.sections]
    assert titles == [
        "Om kartläggningen",
        "Källor",
        "Brottsligheten, dess omfattning och konsekvenser",
        "Underlag",
        "Samverkansparternas bidrag",
        "Möten med polisen och andra parter",
        "Analys",
        "Prioriterade problem och orsaksanalys",
    ]
    headings, text = _docx_text(render_docx(doc))
    assert "8.1 Stöld ur motorfordon" in headings and "8.1.1 Orsaksanalys" in headings
    assert "2.2 Källor som inte använts" in headings
    assert "Skolenkät | För få svar 2023" in text
    assert "Olåsta bilar vid ställplatser (Riskfaktor · Område/situation · Offer/mål)" in text
    assert "Låg kunskap om stöldrisk (Riskfaktor · Individ · Offer/mål)" in text
    html = render_html(doc)
    # the underlying cause is nested under its cause
    cause_at = html.index("Olåsta bilar vid ställplatser")
    assert html.index("<ul>", cause_at) < html.index("Låg kunskap om stöldrisk")
    assert "Stölderna sker nattetid." in html


def test_the_action_plan_has_the_decision_measures_and_status(adopted):
    doc = build_action_plan_document(load_action_plan(adopted["action_plan"]))
    headings, text = _docx_text(render_docx(doc))
    assert "2 Problem 1: Stöld ur motorfordon" in headings
    assert "2.1 Orsak: Olåsta bilar vid ställplatser" in headings
    assert "Beslutad av Kommunfullmäktige 2024-06-17, diarienummer KS2024/0123." in text
    assert "Riktad väktartillsyn vid ställplatserna" in text
    assert "Status 2024: Väktare sommartid." in text
    assert "Färre stölder ur bilar vid ställplatserna" in text
    pdf = PdfReader(io.BytesIO(render_pdf(doc)))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Riktad väktartillsyn" in pdf_text and "Pågående med avvikelse" in pdf_text
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert any("Problem 1: Stöld ur motorfordon" in t for t in outline)


def test_the_document_views_serve_every_format(adopted, personas, login):
    client = login(personas["reader"])
    ap = adopted["action_plan"].pk
    html = client.get(reverse("assessments:actionplan_html", args=[ap]))
    assert html.status_code == 200 and "Riktad väktartillsyn" in html.content.decode()
    pdf = client.get(reverse("assessments:actionplan_pdf", args=[ap]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx_response = client.get(reverse("assessments:assessment_docx", args=[adopted["assessment"].pk]))
    assert "Stöld ur motorfordon" in _docx_text(docx_response.content)[1]
