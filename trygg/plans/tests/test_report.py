"""The follow-up report reproduces Kungälv's 2023 report, read back from HTML, DOCX and PDF."""

import io
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from trygg.documents.markdown import parse_markdown, to_plain_text
from trygg.documents.symbols import docx_symbol
from trygg.plans.actions import do_set_activity_status
from trygg.plans.models import ActivityStatus, FollowUp
from trygg.plans.report import build_follow_up_report, render_document, status_label, status_symbol
from trygg.plans.tests.conftest import load_demo

REFERENCE = (
    Path(__file__).resolve().parents[3].parent / "shared/reference/uppfoljning-2023-trygg-i-kungalv.txt"
)

pytestmark = pytest.mark.django_db


def reference_headings() -> list[str]:
    """'1 Inledning', …, '4.5.1 Insats: …' from the reference's table of contents, in order."""
    headings = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"(\d(?:\.\d)*)\t(.+?)\.*\t\d+", line.strip())
        if match:
            title = re.sub(r"</?i>", "", match.group(2)).strip()
            headings.append(f"{match.group(1)} {title}")
    return headings


def reference_status_marks() -> tuple[int, int]:
    text = REFERENCE.read_text(encoding="utf-8")
    return text.count("✓"), text.count("✘")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """Text without any white space: PDF extraction breaks lines anywhere (e.g. after "/")."""
    return re.sub(r"\s+", "", text)


def comment_lines(markdown: str) -> list[str]:
    """The comment's paragraphs and list items as plain text, list markers removed (Word draws bullets)."""
    lines = to_plain_text(parse_markdown(markdown)).split("\n")
    return [re.sub(r"^\s*(?:[-•]|\d+\.)\s+", "", line) for line in lines if line.strip()]


@pytest.fixture
def follow_up(db):
    load_demo()
    return FollowUp.objects.select_related("plan").get(plan__slug="trygg-i-kungalv", year=2023)


@pytest.fixture
def statuses(follow_up):
    return list(
        ActivityStatus.objects.filter(follow_up=follow_up)
        .select_related("activity")
        .order_by("activity__intervention__area__number", "activity__intervention__number", "activity__order")
    )


def test_reference_is_readable_and_has_the_expected_shape():
    headings = reference_headings()
    assert headings[0] == "1 Inledning" and headings[-1] == "4.5.1 Insats: Motverka våldsbejakande extremism"
    assert len(headings) == 14
    assert reference_status_marks() == (26, 1)


def test_document_follows_reference_section_order(follow_up):
    document = build_follow_up_report(follow_up)
    assert [f"{s.number} {s.title}" for s in document.walk()] == reference_headings()
    assert document.cover.title == "Uppföljning 2023 Trygg i Kungälv"
    assert (document.cover.recipient, document.cover.date) == ("Kommunstyrelse", "2024-02-20")


def test_demo_statuses_match_the_reference_marks(statuses):
    done, deviation = reference_status_marks()
    assert len(statuses) == done + deviation == 27
    assert sum(s.status == "done" for s in statuses) == done
    assert sum(s.status == "done_deviation" for s in statuses) == deviation


class _Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self._in, self.labels, self.scripts = [], None, [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2", "h3") and "toc" not in (attrs.get("class") or ""):
            self._in, self._buf = tag, []
        if tag == "svg" and attrs.get("aria-label"):
            self.labels.append(attrs["aria-label"])
        if tag == "script" or any(k.startswith("on") for k in attrs):
            self.scripts += 1

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if tag == self._in:
            self.headings.append(norm("".join(self._buf)))
            self._in = None


def test_html_report_has_headings_statuses_and_comments(follow_up, statuses):
    html = render_document(build_follow_up_report(follow_up), "html").decode()
    outline = _Outline()
    outline.feed(html)
    expected = reference_headings()
    found = [h for h in outline.headings if any(h == e for e in expected)]
    assert found == expected
    assert outline.labels.count("Avslutat") == 26 and outline.labels.count("Avslutat med avvikelse") == 1
    text = norm(unescape(re.sub(r"<[^>]+>", " ", html)))
    for s in statuses:  # each title with its own status label right after it, then the whole comment
        assert f"{norm(s.activity.title)} {status_label(s.status)}" in text
        for line in comment_lines(s.comment):
            assert norm(line) in text


def test_docx_report_has_word_headings_toc_and_status_tables(follow_up, statuses):
    document = docx.Document(io.BytesIO(render_document(build_follow_up_report(follow_up), "docx")))
    headings = [norm(p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in headings if h in reference_headings()] == reference_headings()
    assert any("TOC" in el.text for el in document.element.body.iter() if el.tag.endswith("}instrText"))

    rows = [row for table in document.tables for row in table.rows]
    for s in statuses:
        row = next(r for r in rows if norm(s.activity.title) in norm(r.cells[0].text))
        char, colour = docx_symbol(status_symbol(s.status))
        symbol_run = next(run for p in row.cells[0].paragraphs for run in p.runs if run.text.strip())
        assert symbol_run.text.strip() == char
        assert str(symbol_run.font.color.rgb).lower() == colour.lower().lstrip("#")
        comment_text = norm(row.cells[1].text)
        for line in comment_lines(s.comment):
            assert norm(line) in comment_text


def test_pdf_report_has_bookmarks_page_numbers_and_all_activities(follow_up, statuses):
    reader = PdfReader(io.BytesIO(render_document(build_follow_up_report(follow_up), "pdf")))
    assert len(reader.pages) > 5

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield norm(item.title)

    assert [t for t in titles(reader.outline) if t in reference_headings()] == reference_headings()
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Sida 2 av" in norm(text)
    # Drop page furniture (footers, the table header repeated on each page) so text flows across pages.
    text = squash(re.sub(r"Sida \d+ av \d+", "", text)).replace("AktivitetKommentar", "")
    position = 0
    for s in statuses:  # every activity in report order, its status right after its title, its comment
        position = text.index(squash(s.activity.title), position)
        after_title = text[position + len(squash(s.activity.title)) :]
        assert after_title.startswith(squash(status_label(s.status))), s.activity.title
        assert squash(comment_lines(s.comment)[0]) in text
        assert squash(comment_lines(s.comment)[-1])[-60:] in text


def test_changed_comment_with_markup_is_inert_in_every_format(follow_up, statuses, personas):
    target = statuses[0]
    evil = 'Klart. <script>alert("x")</script> <img src=x onerror=alert(1)>'
    do_set_activity_status(target.activity, follow_up, "delayed", evil, acting_user=personas["coordinator"])
    document = build_follow_up_report(follow_up)

    html = render_document(document, "html").decode()
    outline = _Outline()
    outline.feed(html)
    assert outline.scripts == 0
    assert "&lt;script&gt;" in html and "onerror=alert(1)&gt;" in html

    word = docx.Document(io.BytesIO(render_document(document, "docx")))
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert any('<script>alert("x")</script>' in c for c in cells)

    pdf_text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_document(document, "pdf"))).pages
    )
    assert "<script>alert(" in pdf_text and "onerror=alert(1)>" in pdf_text


def test_report_builder_queries_do_not_grow_with_activities(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .builders import build_plan

    def queries(follow_up) -> int:
        follow_up = FollowUp.objects.select_related("plan").get(pk=follow_up.pk)
        with CaptureQueriesContext(connection) as ctx:
            build_follow_up_report(follow_up)
        return len(ctx.captured_queries)

    _, small = build_plan(slug="liten", areas=1, activities=2)
    _, large = build_plan(slug="stor", areas=5, interventions=3, activities=8)
    assert queries(large) == queries(small) <= 12


def test_report_command_writes_each_format(follow_up, tmp_path):
    for fmt, magic in [("html", b"<!DOCTYPE html"), ("docx", b"PK"), ("pdf", b"%PDF")]:
        out = tmp_path / f"r.{fmt}"
        call_command("report", plan="trygg-i-kungalv", year=2023, format=fmt, output=str(out))
        assert out.read_bytes()[:14].upper().startswith(magic.upper())
