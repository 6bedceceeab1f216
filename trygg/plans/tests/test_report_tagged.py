"""The demo follow-up report and the lägesbild meeting brief as tagged PDF/UA-1, the PDF/A archive download
(cached under its own format), the web version linked from the PDF's first page, and report HTML that a
Content-Security-Policy without 'unsafe-inline' lets through."""

from __future__ import annotations

import re
from io import BytesIO

import docx
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from docx.oxml.ns import qn

from trygg.documents.docx import render_docx
from trygg.documents.model import Figure
from trygg.documents.pdf import render_pdf
from trygg.documents.tests.pdf_structure import read_tagged_pdf
from trygg.documents.tests.test_pdf_tagged import assert_tagged_pdf_ua
from trygg.documents.walk import clean_text
from trygg.plans.models import FollowUp
from trygg.plans.report import build_follow_up_report
from trygg.plans.report_cache import ARCHIVE_FORMAT, cached_report, render_report
from trygg.plans.tests.conftest import load_demo

pytestmark = pytest.mark.django_db

WEB_URL = "https://trygg.example.se/planer/trygg-i-kungalv/uppfoljning/2023/rapport.html"
INLINE_CSS = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)


@pytest.fixture
def follow_up(db):
    """The Kungälv demo follow-up with the demo statistics, so that section 3 carries its charts."""
    from trygg.demo import indicators as demo_indicators
    from trygg.places.loading import load_municipality

    load_demo()
    demo_indicators.load({"1482": load_municipality("1482")}, acting_user=None)
    return FollowUp.objects.select_related("plan").get(plan__slug="trygg-i-kungalv", year=2023)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def charts_of(document) -> list[Figure]:
    return [b for s in document.walk() for b in s.blocks if isinstance(b, Figure)]


def test_demo_follow_up_report_is_tagged_pdf_ua_with_every_chart_described_by_its_figures(follow_up):
    document = build_follow_up_report(follow_up)
    document.cover.web_url = WEB_URL
    charts = charts_of(document)
    assert len(charts) >= 2, "the demo report's section 3 should carry the statistics charts"
    tagged = read_tagged_pdf(render_pdf(document))
    assert_tagged_pdf_ua(tagged, document)
    for figure in tagged.tagged("/Figure"):
        # the alt text gives the numbers, not just the kind of picture
        assert re.search(r"\d{4}: [\d  ]+[,\d]*", figure.alt), figure.alt
        assert figure.alt.strip().lower() not in {"diagram", "linjediagram", "stapeldiagram"}
    assert len(tagged.tagged("/Table")) >= 5  # the status tables (split at page breaks)
    assert set(tagged.first_page_links) == {WEB_URL}


def test_meeting_brief_is_tagged_pdf_ua_with_its_tables_headed():
    import datetime as dt

    from trygg.demo import places as demo_places
    from trygg.demo import situation as demo_situation
    from trygg.places.loading import load_municipality
    from trygg.situation.brief import build_brief
    from trygg.situation.models import Meeting

    kungalv = load_municipality("1482")
    demo_places.load(kungalv, acting_user=None)
    today = dt.date(2024, 5, 20)
    demo_situation.load(kungalv, acting_user=None, today=today, scale=0.3)
    meeting = Meeting.objects.filter(municipality=kungalv, date__lte=today).order_by("-date").first()
    document = build_brief(meeting, kungalv, today=today)
    tagged = read_tagged_pdf(render_pdf(document))
    assert_tagged_pdf_ua(tagged, document)
    assert tagged.tagged("/Table") and all(
        "/TH" in [d.tag for d in t.descendants()] for t in tagged.tagged("/Table")
    )


def test_archive_download_is_pdf_a_cached_under_its_own_format(
    follow_up, personas, login, media, monkeypatch
):
    client = login(personas["reader"])
    plan = follow_up.plan
    pdfa_url = reverse("plans:follow_up_report", args=[plan.slug, follow_up.year, ARCHIVE_FORMAT])
    response = client.get(pdfa_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="uppfoljning-2023-trygg-i-kungalv-arkiv-pdfa.pdf"'
    )
    archive = read_tagged_pdf(response.content)
    assert (archive.xmp["pdfaid:part"], archive.xmp["pdfaid:conformance"]) == ("2", "U")
    assert "pdfuaid:part" not in archive.xmp and archive.catalog["Marked"] is True
    html_url = "http://testserver" + reverse(
        "plans:follow_up_report", args=[plan.slug, follow_up.year, "html"]
    )
    assert set(archive.first_page_links) == {html_url}  # the web version, on the first page

    pdf = client.get(reverse("plans:follow_up_report", args=[plan.slug, follow_up.year, "pdf"]))
    accessible = read_tagged_pdf(pdf.content)
    assert accessible.xmp.get("pdfuaid:part") == "1" and "pdfaid:part" not in accessible.xmp
    assert set(accessible.first_page_links) == {html_url}
    files = default_storage.listdir(f"reports/{follow_up.pk}")[1]
    assert sorted(name.rsplit(".", 1)[-1] for name in files) == ["pdf", "pdfa"]  # two cache entries

    import trygg.plans.report_cache as cache_module

    monkeypatch.setattr(cache_module, "render_report", lambda *a, **k: pytest.fail("rendered again"))
    assert client.get(pdfa_url).content == response.content  # the repeat comes from the cache


def test_follow_up_page_offers_the_archive_download(follow_up, personas, login):
    html = (
        login(personas["reader"])
        .get(reverse("plans:follow_up_detail", args=[follow_up.plan.slug, follow_up.year]))
        .content.decode()
    )
    pdfa_url = reverse("plans:follow_up_report", args=[follow_up.plan.slug, follow_up.year, ARCHIVE_FORMAT])
    assert f'href="{pdfa_url}">Ladda ner PDF/A för arkivering</a>' in html


def test_unknown_format_is_a_404_and_the_cache_key_separates_links(follow_up, personas, login):
    client = login(personas["reader"])
    assert (
        client.get(reverse("plans:follow_up_report", args=["trygg-i-kungalv", 2023, "pdfx"])).status_code
        == 404
    )
    public = cached_report(follow_up, "pdf", web_url="https://example.se/a")
    internal = cached_report(follow_up, "pdf", web_url="https://example.se/b")
    assert public.path != internal.path and public.version[:32] == internal.version[:32]
    with pytest.raises(ValueError, match="Okänt format"):
        render_report(follow_up, "odt")


def test_report_html_page_has_no_inline_css_and_its_charts_keep_their_colours(
    follow_up, personas, login, media
):
    response = login(personas["reader"]).get(
        reverse("plans:follow_up_report", args=[follow_up.plan.slug, follow_up.year, "html"])
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<svg" in html
    assert not INLINE_CSS.search(html), INLINE_CSS.search(html)
    assert 'fill="#0072b2"' in html.lower() or 'stroke="#0072b2"' in html.lower()
    assert '<link rel="stylesheet" href="/static/documents/document.css">' in html


def test_docx_report_has_heading_styles_repeated_header_rows_and_chart_alt_texts(follow_up):
    document = build_follow_up_report(follow_up)
    word = docx.Document(BytesIO(render_docx(document)))
    headings = [p.style.name for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Heading 1", "Heading 1"] and "Heading 3" in headings
    assert word.tables and all(
        t.rows[0]._tr.trPr is not None and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        for t in word.tables
    )
    alts = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert alts == [clean_text(c.alt) for c in charts_of(document)] and all(
        re.search(r"\d", alt) for alt in alts
    )
