"""One document model for every generated report (follow-up report, meeting brief, walk report).

Builders in domain apps produce a `Document`; renderers (`html.py`, `docx.py`, `pdf.py`) turn it into a
file. This module knows nothing of plans, incidents or file formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Run:
    """A piece of inline text with emphasis. Text is always plain text, never markup."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass
class Paragraph:
    runs: list[Run]


@dataclass
class ListItem:
    runs: list[Run]
    children: list[ListItem] = field(default_factory=list)
    children_ordered: bool = False  # the nested list under this item is numbered


@dataclass
class BulletList:
    items: list[ListItem]
    ordered: bool = False
    start: int = 1  # first number of an ordered list


class Symbol(StrEnum):
    """Status symbols as drawn in the reference report (shape + colour)."""

    DASH = "dash"  # streck
    DOT_GREEN = "dot_green"
    DOT_YELLOW = "dot_yellow"
    CHECK_GREEN = "check_green"
    CHECK_RED = "check_red"
    EXCLAMATION_RED = "exclamation_red"
    NONE = "none"


@dataclass
class LegendEntry:
    symbol: Symbol
    text: str


@dataclass
class Legend:
    """A list of symbols with their meaning (the status legend in section 1)."""

    entries: list[LegendEntry]


@dataclass
class StatusRow:
    symbol: Symbol
    symbol_label: str  # the status in words, for screen readers and the DOCX/PDF text layer
    title: list[Run]
    comment: list[Block]
    marker: str = ""  # e.g. "Politiskt uppdrag" shown under the title


@dataclass
class StatusTable:
    """Table of items with a status symbol column: symbol · title | comment."""

    rows: list[StatusRow]
    headers: tuple[str, str] = ("Aktivitet", "Kommentar")


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""
    numeric_columns: tuple[int, ...] = ()


@dataclass
class Figure:
    """A chart: SVG for HTML/PDF, PNG for DOCX, with caption, source line and accessible text."""

    svg: str
    png: bytes
    caption: str
    alt: str
    source: str = ""


Block = Paragraph | BulletList | Legend | StatusTable | Table | Figure


@dataclass
class Section:
    """A numbered section. `number` is like "4.1.1"; the renderers derive the heading level from it."""

    number: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    title_italic: bool = False
    subtitle: str = ""  # an unnumbered sub-heading printed above the blocks, e.g. "Beskrivning"

    @property
    def level(self) -> int:
        return self.number.count(".") + 1 if self.number else 1


@dataclass
class Cover:
    organisation: str  # "Kungälvs kommun"
    title: str  # "Uppföljning 2023 Trygg i Kungälv"
    recipient: str = ""  # "Kommunstyrelse"
    date: str = ""  # "2024-02-20"
    # The accessible web (HTML) version of this document, an absolute URL; the PDF links it on its first page.
    web_url: str = ""


@dataclass
class Document:
    cover: Cover
    sections: list[Section]
    with_contents: bool = True
    language: str = "sv"

    @property
    def title(self) -> str:
        return self.cover.title

    def walk(self):
        """Yield every section depth-first, in reading order."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.subsections))
