"""Small helpers shared by the renderers: the section outline, block dispatch and text cleaning."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from .model import Block, Document, Section

# Characters that XML 1.0 (DOCX, XHTML, SVG) cannot carry; pasted text sometimes contains them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Drop control characters that would make a DOCX or HTML file invalid; keep newlines and tabs."""
    return _XML_INVALID.sub("", text)


@dataclass(frozen=True)
class OutlineEntry:
    section: Section
    level: int  # 1 for "1", 2 for "4.1", 3 for "4.1.1"; the nesting depth for unnumbered sections
    anchor: str  # HTML id, also the PDF link target of the contents entry
    number: str
    title: str
    italic: bool

    @property
    def label(self) -> str:
        """Number and title as the heading shows them: "4.1.1 Insats: …"."""
        return f"{self.number} {self.title}" if self.number else self.title


def outline(doc: Document) -> list[OutlineEntry]:
    """Every section in reading order with its heading level and a unique anchor."""
    entries: list[OutlineEntry] = []
    used: set[str] = set()

    def visit(sections: list[Section], depth: int) -> None:
        for section in sections:
            slug = section.number.replace(".", "-") if section.number else str(len(entries) + 1)
            anchor = f"avsnitt-{slug}"
            if anchor in used:  # two sections with the same number must still get distinct links
                anchor = f"{anchor}-{len(entries) + 1}"
            used.add(anchor)
            level = section.level if section.number else depth
            entries.append(
                OutlineEntry(
                    section=section,
                    level=level,
                    anchor=anchor,
                    number=section.number,
                    title=clean_text(section.title),
                    italic=section.title_italic,
                )
            )
            visit(section.subsections, depth + 1)

    visit(doc.sections, 1)
    return entries


def source_line(source: str) -> str:
    """The figure's source line, prefixed "Källa:" unless the builder already wrote it."""
    source = clean_text(source).strip()
    if not source or source.lower().startswith(("källa", "source")):
        return source
    return gettext("Källa: %(source)s") % {"source": source}


def dispatch(renderers: dict[type, Callable[..., Any]], block: Block, *args: Any) -> Any:
    """Call the renderer registered for the block's type; an unknown block is a programming error."""
    try:
        render = renderers[type(block)]
    except KeyError:
        raise TypeError(f"No renderer for block type {type(block).__name__}") from None
    return render(block, *args)
