"""The follow-up report builder: FollowUp -> documents.Document, and rendering to a file.

The structure follows Kungälv's 2023 report: cover; contents; 1 Inledning (with the status legend);
2 Sammanfattning; 3 Nulägesanalys; 4 Uppföljning av planens delområden with 4.x areas (Beskrivning) and
4.x.y Insats tables (symbol · Aktivitet | Kommentar).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify

from trygg.documents.markdown import parse_markdown
from trygg.documents.model import (
    Block,
    Cover,
    Document,
    Legend,
    LegendEntry,
    Paragraph,
    Run,
    Section,
    StatusRow,
    StatusTable,
    Symbol,
)

from .models import FollowUp
from .status_rules import LABELS, LEGEND, ORDER, Status
from .tree import PlanTree, load_plan_tree

STATUS_SYMBOLS: dict[str, Symbol] = {
    Status.NOT_STARTED: Symbol.DASH,
    Status.ONGOING: Symbol.DOT_GREEN,
    Status.ONGOING_DEVIATION: Symbol.DOT_YELLOW,
    Status.DONE: Symbol.CHECK_GREEN,
    Status.DONE_DEVIATION: Symbol.CHECK_RED,
    Status.DELAYED: Symbol.EXCLAMATION_RED,
}

REPORT_FORMATS = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

POLITICAL_MARKER = "Politiskt uppdrag"

# Section 3 can be extended (charts, drafted text) by the statistics module: a provider takes the
# follow-up and returns extra blocks placed after the coordinator's text.
CurrentAnalysisProvider = Callable[[FollowUp], list[Block]]
_current_analysis_providers: list[CurrentAnalysisProvider] = []


def register_current_analysis_provider(provider: CurrentAnalysisProvider) -> None:
    if provider not in _current_analysis_providers:
        _current_analysis_providers.append(provider)


# A drafter proposes the text of section 3 (Markdown) from data; the coordinator accepts, edits or
# replaces it on the follow-up's edit page before it is saved.
CurrentAnalysisDrafter = Callable[[FollowUp], str]
_current_analysis_drafters: list[CurrentAnalysisDrafter] = []


def register_current_analysis_drafter(drafter: CurrentAnalysisDrafter) -> None:
    if drafter not in _current_analysis_drafters:
        _current_analysis_drafters.append(drafter)


def has_current_analysis_drafter() -> bool:
    return bool(_current_analysis_drafters)


def draft_current_analysis(follow_up: FollowUp) -> str | None:
    """The registered drafters' proposals joined, or None when no drafter is registered."""
    if not _current_analysis_drafters:
        return None
    return "\n\n".join(text.strip() for d in _current_analysis_drafters if (text := d(follow_up)))


def status_symbol(status: str) -> Symbol:
    return STATUS_SYMBOLS.get(status, Symbol.NONE)


def status_label(status: str) -> str:
    try:
        return LABELS[Status(status)]
    except ValueError:
        return "Ingen status rapporterad"


def build_follow_up_report(follow_up: FollowUp, tree: PlanTree | None = None) -> Document:
    plan = follow_up.plan
    tree = tree or load_plan_tree(plan, follow_up)

    introduction = Section("1", "Inledning", parse_markdown(follow_up.introduction))
    introduction.blocks.append(Paragraph([Run("Aktiviteternas status beskrivs med följande symboler:")]))
    introduction.blocks.append(Legend([LegendEntry(STATUS_SYMBOLS[s], LEGEND[s]) for s in ORDER]))

    analysis_blocks = parse_markdown(follow_up.current_analysis)
    for provider in _current_analysis_providers:
        analysis_blocks.extend(provider(follow_up))

    areas_section = Section("4", "Uppföljning av planens delområden")
    for area_node in tree.areas:
        area = area_node.area
        area_section = Section(f"4.{area.number}", area.title)
        description = parse_markdown(area.description)
        if description:
            area_section.subtitle = "Beskrivning"
            area_section.blocks = description
        for intervention_node in area_node.interventions:
            intervention = intervention_node.intervention
            rows = [
                StatusRow(
                    symbol=status_symbol(node.status),
                    symbol_label=status_label(node.status),
                    title=[Run(node.activity.title)],
                    comment=parse_markdown(node.comment),
                    marker=_marker(node.activity),
                )
                for node in intervention_node.activities
            ]
            area_section.subsections.append(
                Section(
                    f"4.{area.number}.{intervention.number}",
                    intervention.title,
                    [StatusTable(rows)],
                    title_italic=True,
                )
            )
        areas_section.subsections.append(area_section)

    return Document(
        cover=Cover(
            organisation=plan.owner_name,
            title=follow_up.title,
            recipient=follow_up.recipient,
            date=follow_up.date.isoformat(),
        ),
        sections=[
            introduction,
            Section("2", "Sammanfattning", parse_markdown(follow_up.summary)),
            Section("3", "Nulägesanalys", analysis_blocks),
            areas_section,
        ],
    )


def _marker(activity) -> str:
    if not activity.political_assignment:
        return ""
    if activity.political_reference:
        return f"{POLITICAL_MARKER} ({activity.political_reference})"
    return POLITICAL_MARKER


def render_document(document: Document, fmt: str) -> bytes:
    if fmt == "html":
        from trygg.documents.html import render_html

        return render_html(document).encode("utf-8")
    if fmt == "docx":
        from trygg.documents.docx import render_docx

        return render_docx(document)
    if fmt == "pdf":
        from trygg.documents.pdf import render_pdf

        return render_pdf(document)
    raise ValueError(f"Okänt format ”{fmt}”. Välj html, docx eller pdf.")


def render_follow_up(follow_up: FollowUp, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the follow-up report in html, docx or pdf."""
    document = build_follow_up_report(follow_up)
    filename = f"{slugify(follow_up.title)}.{fmt}"
    return render_document(document, fmt), REPORT_FORMATS[fmt], filename
