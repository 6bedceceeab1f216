"""The kartläggning (with its analysis, problems and cause analyses) and the åtgärdsplan (goals, measures per
cause, decision, and each measure's latest yearly status from the plan) as trygg.documents Documents,
rendered to HTML, DOCX and PDF by the shared renderers.

The builders are pure: the caller loads the data (chain.load_assessment / load_action_plan) and what each
evidence item says (:func:`evidence_info`, which reads the database).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trygg.documents.markdown import parse_markdown
from trygg.documents.model import (
    Block,
    BulletList,
    Cover,
    Document,
    Figure,
    ListItem,
    Paragraph,
    Run,
    Section,
    StatusRow,
    StatusTable,
    Table,
)
from trygg.plans.models import official_name
from trygg.plans.report import status_label, status_symbol

from .chain import ActionPlanData, AssessmentData, CauseNode, evidence_figure, evidence_summary
from .models import Cause, Measure

LAW = "lag (2023:196) om kommuners ansvar för brottsförebyggande arbete"


@dataclass
class EvidenceInfo:
    summary: str
    figure: Figure | None


def evidence_info(data: AssessmentData) -> dict[int, EvidenceInfo]:
    municipality = data.assessment.municipality
    return {
        e.pk: EvidenceInfo(evidence_summary(e, municipality), evidence_figure(e, municipality))
        for e in data.evidence
    }


def _p(text: str, bold_prefix: str = "") -> Paragraph:
    runs = [Run(bold_prefix, bold=True)] if bold_prefix else []
    return Paragraph([*runs, Run(text)])


def _text(text: str, empty: str = "Inte ifyllt.") -> list[Block]:
    return parse_markdown(text) if text.strip() else [Paragraph([Run(empty, italic=True)])]


def _d(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "–"


def cause_label(cause: Cause) -> str:
    return f"{cause.get_factor_display()} · {cause.get_level_display()} · {cause.get_side_display()}"


def _cause_items(nodes: list[CauseNode]) -> list[ListItem]:
    """The flat tree-ordered nodes as nested list items."""
    roots: list[ListItem] = []
    stack: list[tuple[int, ListItem]] = []
    for node in nodes:
        cause = node.cause
        runs = [Run(cause.title, bold=True), Run(f" ({cause_label(cause)})")]
        if cause.description:
            runs.append(Run(f". {cause.description}"))
        if cause.sources:
            runs.append(Run(f" Källor: {cause.sources}", italic=True))
        item = ListItem(runs)
        while stack and stack[-1][0] >= node.depth:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(item)
        stack.append((node.depth, item))
    return roots


def build_assessment_document(data: AssessmentData, info: dict[int, EvidenceInfo]) -> Document:
    a = data.assessment
    about = [
        _p(f"{_d(a.period_start)} – {_d(a.period_end)}", "Period: "),
        _p(_d(a.completed_on) if a.completed_on else "Inte fastställd ännu", "Lägesbilden fastställd: "),
        _p(
            f"Kartläggningen görs enligt 4 § {LAW}: brottsligheten i kommunen, dess omfattning och konsekvenser, "
            "annan relevant information och en analys av detta. Den ska förnyas minst vartannat år (6 §)."
        ),
    ]
    used = [s for s in data.sources if s.used]
    left_out = [s for s in data.sources if not s.used]
    sources = Section(
        "2",
        "Källor",
        [],
        [
            Section("2.1", "Använda källor", [_source_table(used)] if used else [_p("Inga källor angivna.")]),
            Section(
                "2.2",
                "Källor som inte använts",
                [_source_table(left_out)] if left_out else [_p("Inga källor har valts bort.")],
            ),
        ],
    )
    crime = Section(
        "3",
        "Brottsligheten, dess omfattning och konsekvenser",
        [],
        [
            Section("3.1", "Omfattning", _text(a.extent)),
            Section("3.2", "Konsekvenser", _text(a.consequences)),
            Section("3.3", "Annan relevant information", _text(a.other_information)),
        ],
    )
    evidence_sections = []
    for n, e in enumerate(data.evidence, 1):
        blocks: list[Block] = [_p(e.get_kind_display(), "Typ: ")]
        item = info.get(e.pk)
        if item and item.summary:
            blocks.append(_p(item.summary, "Underlaget visar: "))
        if item and item.figure is not None:
            blocks.append(item.figure)
        blocks.append(_p(e.interpretation or "–", "Tolkning: "))
        evidence_sections.append(Section(f"4.{n}", e.title, blocks))
    evidence = Section(
        "4", "Underlag", [] if evidence_sections else [_p("Inga underlag registrerade.")], evidence_sections
    )
    contributions = Section(
        "5",
        "Samverkansparternas bidrag",
        [] if data.contributions else [_p("Inga bidrag registrerade.")],
        [
            Section(
                f"5.{n}",
                f"{c.organisation}: {c.title}" if c.organisation_id else c.title,
                _text(c.text, "") + ([_p(c.document_url, "Dokument: ")] if c.document_url else []),
            )
            for n, c in enumerate(data.contributions, 1)
        ],
    )
    meetings = Section(
        "6",
        "Möten med polisen och andra parter",
        [
            Table(
                ["Datum", "Deltagare", "Anteckningar"],
                [[_d(m.date), m.participants, m.notes or "–"] for m in data.consultations],
                caption="Möten under kartläggningen",
            )
        ]
        if data.consultations
        else [_p("Inga möten registrerade.")],
    )
    analysis = Section("7", "Analys", _text(a.analysis))
    evidence_titles = {e.pk: e.title for e in data.evidence}
    problem_sections = []
    for n, pd in enumerate(data.problems, 1):
        p = pd.problem
        where = p.place.name if p.place_id else ""
        where = ", ".join(x for x in (where, p.area) if x)
        blocks = [
            _p(str(p.rank), "Prioritet: "),
            *(_text(p.description, "") if p.description else []),
            _p(where or "–", "Plats/område: "),
            _p(p.group or "–", "Berörd grupp: "),
        ]
        linked = [evidence_titles.get(e.pk, e.title) for e in p.evidence.all()]
        if linked:
            blocks.append(_p(", ".join(linked), "Underlag: "))
        causes = (
            [BulletList(_cause_items(pd.causes))] if pd.causes else [_p("Ingen orsaksanalys gjord ännu.")]
        )
        problem_sections.append(
            Section(f"8.{n}", p.title, blocks, [Section(f"8.{n}.1", "Orsaksanalys", causes)])
        )
    problems = Section(
        "8",
        "Prioriterade problem och orsaksanalys",
        [
            _p(
                "Varje orsak anges som risk- eller skyddsfaktor, med nivå (individ, relation, område/situation, "
                "samhälle) och sida i brottstriangeln (gärningsperson, offer/mål, plats)."
            )
        ],
        problem_sections,
    )
    return Document(
        cover=Cover(
            organisation=official_name(a.municipality),
            title=f"Kartläggning: {a.title}",
            recipient="Lägesbild enligt 4 § lag (2023:196)",
            date=_d(a.completed_on or a.period_end),
        ),
        sections=[
            Section("1", "Om kartläggningen", about),
            sources,
            crime,
            evidence,
            contributions,
            meetings,
            analysis,
            problems,
        ],
    )


def _source_table(sources) -> Table:
    return Table(["Källa", "Motivering"], [[s.name, s.reason or "–"] for s in sources])


def measure_facts(m: Measure) -> str:
    owner = ", ".join(x for x in (m.owner.name if m.owner_id else "", m.owner_other) if x) or "–"
    return (
        f"{m.get_kind_display()} åtgärd, {m.get_term_display().lower()}. Ansvarig: {owner}. "
        f"Tid: {_d(m.start)} – {_d(m.end)}."
    )


def build_action_plan_document(data: ActionPlanData) -> Document:
    ap = data.action_plan
    if ap.adopted:
        decision = f"Beslutad av {ap.decided_by} {_d(ap.decided_on)}" + (
            f", diarienummer {ap.diary_number}." if ap.diary_number else "."
        )
    else:
        decision = "Inte beslutad ännu."
    about = [
        _p(f"{ap.period_start}–{ap.period_end}", "Gäller: "),
        _p(ap.assessment.title, "Bygger på kartläggningen: "),
        _p(decision, "Beslut: "),
        _p(
            f"Åtgärdsplanen beslutas enligt 5 § {LAW} utifrån lägesbilden. Åtgärderna är valda för att påverka "
            "orsakerna i orsaksanalysen och följs upp varje år som aktiviteter i planen"
            + (f" ”{ap.plan.name}”." if ap.plan_id else ".")
        ),
    ]
    sections = [Section("1", "Om åtgärdsplanen", about)]
    for n, pd in enumerate(data.problems, 2):
        p = pd.problem
        blocks: list[Block] = []
        if pd.goals:
            blocks.append(_p("Mål", ""))
            blocks.append(
                BulletList(
                    [
                        ListItem(
                            [Run(g.text)]
                            + ([Run(f" (mäts genom: {g.measured_by})", italic=True)] if g.measured_by else [])
                        )
                        for g in pd.goals
                    ]
                )
            )
        subsections = []
        for k, node in enumerate([node for node in pd.causes if node.measures], 1):
            rows = []
            for m in node.measures:
                status = data.status_of(m)
                comment: list[Block] = [_p(measure_facts(m))]
                if m.expected_effect:
                    comment.append(_p(m.expected_effect, "Förväntad effekt: "))
                if m.follow_up_method:
                    comment.append(_p(m.follow_up_method, "Uppföljning: "))
                if status is not None:
                    comment.append(_p(status.comment or "–", f"Status {status.follow_up.year}: "))
                elif m.link_state != Measure.LinkState.LINKED:
                    comment.append(_p(m.link_state_label, "Plan: "))
                rows.append(
                    StatusRow(
                        symbol=status_symbol(status.status if status else ""),
                        symbol_label=status_label(status.status) if status else "",
                        title=[Run(m.title)],
                        comment=comment,
                        marker=f"Aktivitet: {m.activity.title}"
                        if m.activity_id and m.activity.title != m.title
                        else "",
                    )
                )
            subsections.append(
                Section(
                    f"{n}.{k}",
                    f"Orsak: {node.cause.title}",
                    [
                        _p(cause_label(node.cause)),
                        StatusTable(rows, headers=("Åtgärd", "Beskrivning och status")),
                    ],
                )
            )
        sections.append(Section(str(n), f"Problem {p.rank}: {p.title}", blocks, subsections))
    return Document(
        cover=Cover(
            organisation=official_name(ap.municipality),
            title=f"Åtgärdsplan: {ap.title}",
            recipient=ap.decided_by or "Kommunstyrelse",
            date=_d(ap.decided_on),
        ),
        sections=sections,
    )
