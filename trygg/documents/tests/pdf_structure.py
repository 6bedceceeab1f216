"""Reads a tagged PDF back for the tests: the structure tree with each element's text, the catalogue entries
and the XMP identifiers. Shared by the document tests and the follow-up report / meeting brief tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO

import pikepdf
import pypdf

HEADING = re.compile(r"^/H([1-6])$")


@dataclass
class Element:
    tag: str  # "/H1", "/Table", "/Figure", …
    alt: str | None
    depth: int
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID), own and descendants'
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def descendants(self):
        for child in self.children:
            yield child
            yield from child.descendants()


@dataclass
class TaggedPdf:
    catalog: dict
    xmp: dict[str, str]  # "pdfuaid:part" → "1", "pdfaid:conformance" → "U", …
    elements: list[Element]  # every structure element, depth-first in reading order
    pages: int
    first_page_links: list[str]

    def tagged(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def headings(self) -> list[tuple[int, str]]:
        """(level, text) of every H1–H6 in the order of the structure tree."""
        out = []
        for element in self.elements:
            match = HEADING.match(element.tag)
            if match:
                out.append((int(match.group(1)), " ".join(element.text.split())))
        return out


def read_tagged_pdf(content: bytes) -> TaggedPdf:
    pdf = pikepdf.open(BytesIO(content))
    root = pdf.Root
    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    elements: list[Element] = []

    def walk(node, depth: int, page: int | None) -> Element | None:
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            return None
        if "/Pg" in node:
            page = page_index.get(node.Pg.objgen, page)
        alt = str(node.Alt) if "/Alt" in node else None
        element = Element(tag=str(node.S), alt=alt, depth=depth)
        elements.append(element)
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        for kid in kids:
            if isinstance(kid, int):
                element.mcids.append((page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
                kid_page = page_index.get(kid.Pg.objgen, page) if "/Pg" in kid else page
                element.mcids.append((kid_page, int(kid.MCID)))
            else:
                child = walk(kid, depth + 1, page)
                if child is not None:
                    element.children.append(child)
                    element.mcids.extend(child.mcids)
        return element

    for top in (
        root.StructTreeRoot.K if isinstance(root.StructTreeRoot.K, pikepdf.Array) else [root.StructTreeRoot.K]
    ):
        walk(top, 0, None)

    texts = _marked_content_texts(content)
    for element in elements:
        element.text = "".join(texts.get(key, "") for key in element.mcids)

    xmp = {}
    with pdf.open_metadata() as meta:
        for key in ("pdfuaid:part", "pdfaid:part", "pdfaid:conformance"):
            if key in meta:
                xmp[key] = str(meta[key])
    catalog = {
        "Lang": str(root.Lang) if "/Lang" in root else None,
        "Marked": bool(root.MarkInfo.get("/Marked", False)) if "/MarkInfo" in root else False,
        "DisplayDocTitle": bool(root.ViewerPreferences.get("/DisplayDocTitle", False))
        if "/ViewerPreferences" in root
        else False,
        "OutputIntents": len(root.OutputIntents) if "/OutputIntents" in root else 0,
    }
    links = []
    for annot in pdf.pages[0].get("/Annots", []):
        action = annot.get("/A")
        if action is not None and "/URI" in action:
            links.append(str(action.URI))
    return TaggedPdf(catalog, xmp, elements, len(pdf.pages), links)


def _marked_content_texts(content: bytes) -> dict[tuple[int, int], str]:
    """{(page index, MCID): text} from the content streams, decoded through each font's ToUnicode map."""
    reader = pypdf.PdfReader(BytesIO(content))
    texts: dict[tuple[int, int], str] = {}
    for index, page in enumerate(reader.pages):
        stack: list[int | None] = []

        def before(operator, operands, _cm, _tm, stack=stack):
            if operator == b"BDC":
                properties = operands[1] if len(operands) > 1 else None
                stack.append(properties.get("/MCID") if hasattr(properties, "get") else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(value, _cm, _tm, _font, _size, stack=stack, index=index):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None and value:
                texts[(index, mcid)] = texts.get((index, mcid), "") + value

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts
