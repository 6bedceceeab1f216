"""A small report built by hand, shaped like the reference follow-up report."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from trygg.documents.markdown import parse_markdown
from trygg.documents.model import (
    BulletList,
    Cover,
    Document,
    Figure,
    Legend,
    LegendEntry,
    ListItem,
    Paragraph,
    Run,
    Section,
    StatusRow,
    StatusTable,
    Symbol,
    Table,
)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

CHART_SVG = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="320pt" height="160pt"
     viewBox="0 0 320 160">
  <defs><clipPath id="clip1"><rect x="0" y="0" width="320" height="160"/></clipPath></defs>
  <script>alert('chart')</script>
  <g clip-path="url(#clip1)" onclick="alert(2)">
    <rect x="20" y="60" width="60" height="90" fill="#1f77b4"/>
    <rect x="120" y="30" width="60" height="120" fill="#1f77b4"/>
    <use xlink:href="#clip1"/>
    <image xlink:href="https://example.org/tracker.png" width="1" height="1"/>
  </g>
</svg>"""


def tiny_png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (80, 40), (31, 119, 180)).save(out, format="PNG")
    return out.getvalue()


COMMENT_MD = f"""Genom gemensamma lägesbilder har kommunen och polisen arbetat **proaktivt**.

^^Stöld ur motorfordon^^

- Informationsinsatser genom *olika* kanaler
  - kommunens hemsida
    - polisens lokala Facebook
- Riktad väktartillsyn

Inläggets rubrik var {SCRIPT} och bilden {IMG}
"""

LEGEND = [
    (Symbol.DASH, "Streck = Ej påbörjad"),
    (Symbol.DOT_GREEN, "Pågående, grön = Arbete med genomförandet pågår"),
    (Symbol.DOT_YELLOW, "Pågående, gul = Arbete pågår, med avvikelse"),
    (Symbol.CHECK_GREEN, "Avslutat, grön bock = Genomförandet klart enligt plan"),
    (Symbol.CHECK_RED, "Avslutat, röd bock = Genomförandet avslutat med avvikelse"),
    (Symbol.EXCLAMATION_RED, "Försenat, rött utropstecken = Har passerat planerat avslutningsdatum"),
]

FILLER = (
    "Trygghetsvandringar innebär att kommunens representanter, polisen och medborgare går igenom ett område "
    "och systematiskt inventerar det ur trygghetssynpunkt. "
)


def make_document(extra_rows: int = 12) -> Document:
    """Sections 1–4 with 4.1 and 4.1.1 (italic), a legend, a status table, a table and a figure."""
    rows = [
        StatusRow(
            symbol=Symbol.CHECK_GREEN,
            symbol_label="Avslutat",
            title=[Run("Fortsatt strukturerat arbete utifrån ”Trygg i”-modellen.")],
            comment=parse_markdown(COMMENT_MD),
            marker="Politiskt uppdrag",
        ),
        StatusRow(
            symbol=Symbol.CHECK_RED,
            symbol_label="Avslutat med avvikelse",
            title=[Run("Arbete med trygghetskameror på "), Run("otrygga", bold=True), Run(" platser.")],
            comment=[Paragraph([Run("Arbetet pausades under tillsynen.")])],
        ),
    ]
    # Long comments so that the status table has to break across pages.
    rows += [
        StatusRow(
            symbol=Symbol.DOT_YELLOW,
            symbol_label="Pågående med avvikelse",
            title=[Run(f"Aktivitet nummer {n}")],
            comment=[Paragraph([Run(FILLER * 4)])],
        )
        for n in range(1, extra_rows + 1)
    ]
    return Document(
        cover=Cover("Kungälvs kommun", "Uppföljning 2023 Trygg i Kungälv", "Kommunstyrelse", "2024-02-20"),
        sections=[
            Section(
                "1",
                "Inledning",
                blocks=[
                    Paragraph(
                        [Run("Programmet antogs av kommunfullmäktige "), Run("2019", italic=True), Run(".")]
                    ),
                    BulletList(
                        [
                            ListItem([Run("Motverka våld i nära relationer.")]),
                            ListItem([Run("Insatser mot narkotika.")], children=[ListItem([Run("Skolan")])]),
                        ]
                    ),
                    Paragraph([Run("Aktiviteternas status beskrivs med följande symboler:")]),
                    Legend([LegendEntry(symbol, text) for symbol, text in LEGEND]),
                ],
            ),
            Section(
                "2",
                "Sammanfattning",
                blocks=parse_markdown("Kommunen har arbetat med\n\n1. lägesbilder\n2. samverkan"),
            ),
            Section(
                "3",
                "Nulägesanalys",
                blocks=[
                    Figure(
                        svg=CHART_SVG,
                        png=tiny_png(),
                        caption="Anmälda brott per 100 000 invånare",
                        alt="Stapeldiagram: anmälda brott minskar 2020–2023",
                        source="Brå",
                    ),
                    Table(
                        headers=["År", "Anmälda brott"],
                        rows=[["2022", "8 123"], ["2023", "7 456"]],
                        caption="Anmälda brott i Kungälv",
                        numeric_columns=(1,),
                    ),
                ],
            ),
            Section(
                "4",
                "Uppföljning av planens delområden",
                subsections=[
                    Section(
                        "4.1",
                        "Våld i nära relationer samt hedersrelaterat våld och förtryck",
                        subtitle="Beskrivning",
                        blocks=[Paragraph([Run("Våld i nära relationer är ett samlingsbegrepp.")])],
                        subsections=[
                            Section(
                                "4.1.1",
                                "Insats: Motverka våld i nära relation",
                                title_italic=True,
                                blocks=[StatusTable(rows=rows)],
                            )
                        ],
                    )
                ],
            ),
        ],
    )


@pytest.fixture
def document() -> Document:
    return make_document()
