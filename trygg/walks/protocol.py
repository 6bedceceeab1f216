"""The walk protocol (protokoll från trygghetsvandringen) as a trygg.documents Document, rendered to HTML,
DOCX and PDF. A place list stands in for a map image. No person is named: participants are organisations and
units, and who recorded a finding is not shown.

:func:`load_walk` fetches everything in a constant number of queries; :func:`build_protocol` is pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trygg.documents.model import BulletList, Cover, Document, ListItem, Paragraph, Run, Section, Table

from .models import PARAMETERS, Finding, Measure, Stop, Walk

DEMO_NOTE = (
    "Demorekonstruktion: vandringen finns i uppföljningen 2023 av Trygg i Kungälv; fynd, poäng och åtgärder "
    "är påhittade för demonstrationen."
)


@dataclass
class WalkData:
    walk: Walk
    stops: list[Stop]
    findings: list[Finding]
    organisations: list[str]
    units: list[str]

    def measures(self) -> list[tuple[int, Measure]]:
        return [(n, m) for n, f in enumerate(self.findings, 1) for m in f.measures.all()]


def load_walk(walk: Walk) -> WalkData:
    findings = list(
        walk.findings.select_related("place").prefetch_related(
            "measures__responsible_unit", "measures__responsible_organisation", "photos"
        )
    )
    return WalkData(
        walk=walk,
        stops=list(walk.stops.select_related("place")),
        findings=findings,
        organisations=[o.name for o in walk.organisations.all()],
        units=[u.name for u in walk.units.all()],
    )


def _p(text: str, bold_prefix: str = "") -> Paragraph:
    runs = [Run(bold_prefix, bold=True)] if bold_prefix else []
    return Paragraph([*runs, Run(text)])


def _score(value: int | None) -> str:
    return str(value) if value is not None else "–"


def _average(values: list[int]) -> str:
    return f"{sum(values) / len(values):.1f}".replace(".", ",") if values else "–"


def _stop_label(stop: Stop) -> str:
    return f"{stop.place.name if stop.place_id else 'Punkt'} ({stop.lat:.5f}, {stop.lon:.5f})"


def measure_state(measure: Measure, today: dt.date) -> str:
    label = str(measure.get_status_display())
    return f"{label} (försenad)" if measure.is_overdue(today) else label


def build_protocol(data: WalkData, *, today: dt.date) -> Document:
    walk = data.walk
    when = f"{walk.date:%Y-%m-%d}" + (f" kl. {walk.start_time:%H:%M}" if walk.start_time else "")
    about = [
        _p(when, "Datum: "),
        _p(walk.area_name or "–", "Område: "),
        _p(walk.get_status_display(), "Status: "),
        _p(", ".join(data.organisations + data.units) or "–", "Deltagare: "),
    ]
    if walk.description:
        about.append(_p(walk.description, "Bakgrund: "))
    if walk.demo:
        about.append(Paragraph([Run(DEMO_NOTE, italic=True)]))

    if data.stops:
        route: list = [
            BulletList(
                [
                    ListItem([Run(_stop_label(s))] + ([Run(f" – {s.note}")] if s.note else []))
                    for s in data.stops
                ],
                ordered=True,
            )
        ]
    else:
        route = [_p("Ingen rutt har angetts.")]

    if data.findings:
        finding_blocks: list = [
            Table(
                headers=["Nr", "Plats", "Kategori", "Upplevd trygghet (1–5)", "Beskrivning"],
                rows=[
                    [
                        str(n),
                        f.location_label,
                        f.get_category_display(),
                        _score(f.feeling),
                        f.description or "–",
                    ]
                    for n, f in enumerate(data.findings, 1)
                ],
                caption="Fynd under vandringen",
                numeric_columns=(0, 3),
            )
        ]
        scores = Table(
            headers=["Nr", *[str(label) for _, label in PARAMETERS]],
            rows=[
                [str(n), *[_score(getattr(f, name)) for name, _ in PARAMETERS]]
                for n, f in enumerate(data.findings, 1)
            ]
            + [
                [
                    "Medel",
                    *[
                        _average([getattr(f, name) for f in data.findings if getattr(f, name) is not None])
                        for name, _ in PARAMETERS
                    ],
                ]
            ],
            caption="Bedömning per parameter (1 = dåligt, 5 = bra; – = ej bedömt)",
            numeric_columns=tuple(range(len(PARAMETERS) + 1)),
        )
        score_blocks: list = [scores]
    else:
        finding_blocks = [_p("Inga fynd registrerade.")]
        score_blocks = [_p("Inga bedömningar registrerade.")]

    measures = data.measures()
    if measures:
        measure_blocks: list = [
            Table(
                headers=["Fynd", "Åtgärd", "Ansvarig", "Klart senast", "Status"],
                rows=[
                    [
                        str(n),
                        m.title,
                        m.responsible,
                        f"{m.due_date:%Y-%m-%d}" if m.due_date else "–",
                        measure_state(m, today),
                    ]
                    for n, m in measures
                ],
                caption="Åtgärder och deras status",
                numeric_columns=(0,),
            )
        ]
        done = sum(1 for _, m in measures if m.status == Measure.Status.DONE)
        measure_blocks.insert(
            0, _p(f"{done} av {len(measures)} åtgärder är klara (status {today:%Y-%m-%d}).")
        )
    else:
        measure_blocks = [_p("Inga åtgärder beslutade ännu.")]

    places = sorted({f.location_label for f in data.findings})
    place_blocks = (
        [BulletList([ListItem([Run(name)]) for name in places])] if places else [_p("Inga platser.")]
    )

    return Document(
        cover=Cover(
            organisation=walk.municipality.full_name,
            title=f"Protokoll trygghetsvandring: {walk.title}",
            recipient=walk.area_name,
            date=f"{walk.date:%Y-%m-%d}",
        ),
        sections=[
            Section("1", "Om vandringen", about),
            Section("2", "Rutt", route),
            Section("3", "Fynd", finding_blocks),
            Section("4", "Bedömning enligt trygghetsparametrarna", score_blocks),
            Section("5", "Åtgärder", measure_blocks),
            Section("6", "Platser", place_blocks),
        ],
        with_contents=False,
    )
