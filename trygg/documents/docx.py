"""DOCX renderer of the document model (python-docx).

Real Word structure so that the municipality can keep editing: Heading 1–3 styles with the section number in
the text, a TOC field that Word fills in, List Bullet/List Number styles for nesting, tables with repeated
header rows, pictures with alt text, and "Sida N av M" from PAGE/NUMPAGES fields in the footer.
"""

from __future__ import annotations

import re
from io import BytesIO

import docx
from django.utils import timezone
from django.utils.translation import gettext
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .model import (
    Block,
    BulletList,
    Cover,
    Document,
    Figure,
    Legend,
    ListItem,
    Paragraph,
    Run,
    StatusRow,
    StatusTable,
    Symbol,
    Table,
)
from .symbols import DOCX_SYMBOL_FONT, docx_symbol
from .walk import OutlineEntry, clean_text, dispatch, outline, source_line

TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '
BODY_WIDTH = Cm(16)
BODY_FONT = "Arial"
HEADING_COLOUR = "1A1A1A"
HEADER_FILL = "E6EBF0"
# Elements that follow w:updateFields in CT_Settings: Word rejects settings.xml children out of order.
_SETTINGS_AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
    "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
}  # fmt: skip


def render_docx(doc: Document) -> bytes:
    """The document as a .docx file."""
    writer = _Writer(doc)
    writer.write()
    out = BytesIO()
    writer.docx.save(out)
    return out.getvalue()


def word_language(language: str) -> str:
    """ "sv" -> "sv-SE": Word's proofing languages are region-qualified."""
    return {"sv": "sv-SE", "en": "en-GB"}.get(language, language)


Container = DocxDocument | _Cell


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.docx = docx.Document()
        self.styles = {s.name: s for s in self.docx.styles}  # name lookups are linear in python-docx
        self.first_heading = True
        self.renderers = {
            Paragraph: self.paragraph,
            BulletList: self.bullet_list,
            Legend: self.legend,
            StatusTable: self.status_table,
            Table: self.table,
            Figure: self.figure,
        }

    def write(self) -> None:
        self._setup()
        self.cover(self.doc.cover)
        if self.doc.with_contents:
            self.contents()
        for entry in outline(self.doc):
            self.heading(entry)
            if entry.section.subtitle:
                p = self.docx.add_paragraph()
                p.paragraph_format.keep_with_next = True
                p.add_run(clean_text(entry.section.subtitle)).bold = True
            self.blocks(entry.section.blocks, self.docx)

    # --- document frame -----------------------------------------------------------------------------

    def _setup(self) -> None:
        language = word_language(self.doc.language)
        props = self.docx.core_properties
        props.title = clean_text(self.doc.title)
        props.language = language
        props.author = props.last_modified_by = clean_text(self.doc.cover.organisation)
        props.created = props.modified = timezone.now()
        props.revision = 1
        props.comments = ""
        rpr = self.docx.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), language)  # spell-checking in the document's language

        self._style_fonts()
        section = self.docx.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21)
        section.left_margin = section.right_margin = Cm(2.5)
        section.different_first_page_header_footer = True  # no page number on the cover
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for part in re.split(r"(\{pages?\})", gettext("Sida {page} av {pages}")):
            if part == "{page}":
                _field(footer, "PAGE", "1")
            elif part == "{pages}":
                _field(footer, "NUMPAGES", "1")
            elif part:
                footer.add_run(part)

    def _add_paragraph(self, container, style):
        """add_paragraph(style=…) without python-docx's linear scan of all styles on every call."""
        paragraph = container.add_paragraph()
        paragraph._p.get_or_add_pPr().style = style.style_id
        return paragraph

    def _style_fonts(self) -> None:
        """Arial throughout (Liberation Sans here), like the PDF; the default template uses theme fonts."""
        normal = self.styles["Normal"]
        normal.font.size = Pt(10.5)
        normal.paragraph_format.space_after = Pt(6)
        names = ["Normal", "Title", "TOC Heading", "Caption"] + [f"Heading {n}" for n in range(1, 5)]
        for name in names:
            style = self.styles[name]
            fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)  # theme fonts would win over the named font
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attr), BODY_FONT)
            if name != "Normal":
                style.font.color.rgb = RGBColor.from_string(HEADING_COLOUR)

    def cover(self, cover: Cover) -> None:
        org = self.docx.add_paragraph()
        run = org.add_run(clean_text(cover.organisation).upper())
        run.bold, run.font.size = True, Pt(14)
        title = self._add_paragraph(self.docx, self.styles["Title"])
        title.paragraph_format.space_before = Pt(180)
        title.add_run(clean_text(cover.title))
        for text in (cover.recipient, cover.date):
            if text:
                p = self.docx.add_paragraph()
                p.paragraph_format.space_before = Pt(12)
                p.add_run(clean_text(text)).font.size = Pt(13)

    def contents(self) -> None:
        title = self._add_paragraph(self.docx, self.styles["TOC Heading"])
        title.paragraph_format.page_break_before = True
        title.add_run(gettext("Innehållsförteckning"))
        _field(
            self.docx.add_paragraph(),
            TOC_INSTRUCTION,
            gettext("Högerklicka och välj Uppdatera fält för att visa innehållsförteckningen."),
            dirty=True,
        )
        # Ask Word to refresh fields (the TOC, page counts) when the file is opened.
        settings = self.docx.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        following = [
            c
            for c in settings
            if isinstance(c.tag, str) and c.tag.split("}")[-1] in _SETTINGS_AFTER_UPDATE_FIELDS
        ]
        if following:
            following[0].addprevious(update)
        else:
            settings.append(update)

    def heading(self, entry: OutlineEntry) -> None:
        p = self._add_paragraph(self.docx, self.styles[f"Heading {min(entry.level, 9)}"])
        if entry.level == 1 or self.first_heading:
            p.paragraph_format.page_break_before = True
        self.first_heading = False
        if entry.number:
            p.add_run(f"{entry.number} ")
        p.add_run(entry.title).italic = entry.italic or None

    # --- blocks -------------------------------------------------------------------------------------

    def blocks(self, blocks: list[Block], container: Container) -> None:
        for block in blocks:
            dispatch(self.renderers, block, container)

    def paragraph(self, block: Paragraph, container: Container) -> None:
        add_runs(container.add_paragraph(), block.runs)

    def bullet_list(self, block: BulletList, container: Container) -> None:
        self._list_items(block.items, block.ordered, block.start, 1, container)

    def _list_items(
        self, items: list[ListItem], ordered: bool, start: int, depth: int, container: Container
    ) -> None:
        style = self.styles[
            f"List {'Number' if ordered else 'Bullet'}{'' if depth == 1 else f' {min(depth, 3)}'}"
        ]
        num_id = self._restart_numbering(style, start) if ordered else None
        for item in items:
            p = self._add_paragraph(container, style)
            if num_id is not None:
                num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            add_runs(p, item.runs)
            if item.children:
                self._list_items(item.children, item.children_ordered, 1, depth + 1, container)

    def _restart_numbering(self, style, start: int) -> int:
        """A new numbering instance for the style's list definition, so each ordered list starts again."""
        numbering = self.docx.part.numbering_part.element
        style_num_id = style.element.pPr.numPr.numId.val
        abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(max(int(start), 0))
        return num.numId

    def legend(self, block: Legend, container: Container) -> None:
        for entry in block.entries:
            p = container.add_paragraph()
            p.paragraph_format.space_after = Pt(3)
            add_symbol(p, entry.symbol)
            p.add_run(clean_text(entry.text))

    def status_table(self, block: StatusTable, container: Container) -> None:
        table = self._table(container, list(block.headers), (Cm(6), Cm(10)))
        for row in block.rows:
            item, comment = self._add_row(table)
            self._status_item(row, item)
            self.blocks(row.comment, comment)
            _drop_leading_empty_paragraph(comment)

    def _status_item(self, row: StatusRow, cell: _Cell) -> None:
        p = cell.paragraphs[0]
        add_symbol(p, row.symbol)
        add_runs(p, row.title)
        # The status in words under the title: colour alone must not carry it (WCAG 1.4.1).
        for text, italic, colour in ((row.symbol_label, False, "4A4A4A"), (row.marker, True, "4B3278")):
            if not text:
                continue
            p.paragraph_format.space_after = Pt(2)
            p = cell.add_paragraph()
            run = p.add_run(clean_text(text))
            run.italic = italic or None
            run.font.size = Pt(8.5)
            run.font.color.rgb = RGBColor.from_string(colour)

    def table(self, block: Table, container: Container) -> None:
        if block.caption:
            caption = self._add_paragraph(container, self.styles["Caption"])
            caption.paragraph_format.keep_with_next = True
            caption.add_run(clean_text(block.caption))
        width = len(block.headers) or max((len(r) for r in block.rows), default=1)
        table = self._table(container, block.headers, (int(BODY_WIDTH / width),) * width)
        numeric = set(block.numeric_columns)
        for values in block.rows:
            for index, cell in enumerate(self._add_row(table)):
                p = cell.paragraphs[0]
                if index < len(values):
                    p.add_run(clean_text(values[index]))
                if index in numeric:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def figure(self, block: Figure, container: Container) -> None:
        p = container.add_paragraph()
        p.paragraph_format.keep_with_next = True
        alt = clean_text(block.alt or block.caption)
        if block.png:
            width = BODY_WIDTH if isinstance(container, DocxDocument) else Cm(9)
            shape = p.add_run().add_picture(BytesIO(block.png), width=width)
            shape._inline.docPr.set("descr", alt)  # alt text for screen readers
        else:
            p.add_run(alt).italic = True
        if block.caption:
            caption = self._add_paragraph(container, self.styles["Caption"])
            caption.add_run(clean_text(block.caption))
        source = source_line(block.source)
        if source:
            run = container.add_paragraph().add_run(source)
            run.italic, run.font.size = True, Pt(9)

    # --- tables -------------------------------------------------------------------------------------

    def _table(self, container: Container, headers: list[str], widths: tuple[int, ...]) -> DocxTable:
        table = container.add_table(rows=1, cols=len(widths))
        table.style = self.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        header = table.rows[0]
        tr_pr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for cell, text in zip(header.cells, headers, strict=False):
            cell.paragraphs[0].add_run(clean_text(text)).bold = True
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:fill"), HEADER_FILL)
            cell._tc.get_or_add_tcPr().append(shading)
        return table

    def _add_row(self, table: DocxTable) -> list[_Cell]:
        # row.cells walks the whole table in python-docx; build the cells of the new row directly.
        tr = table.add_row()._tr
        return [_Cell(tc, table) for tc in tr.tc_lst]


def add_runs(p: DocxParagraph, runs: list[Run]) -> None:
    for run in runs:
        r = p.add_run()
        _set_text(r, clean_text(run.text))
        if run.bold:
            r.bold = True
        if run.italic:
            r.italic = True
        if run.underline:
            r.underline = True


def _set_text(run, text: str) -> None:
    """Run text as w:t elements with w:br for line breaks. python-docx's `run.text = …` walks the text one
    character at a time, which dominated the time of long comments."""
    if "\t" in text:
        run.text = text
        return
    for index, line in enumerate(text.split("\n")):
        if index:
            run._r.append(OxmlElement("w:br"))
        if line:
            t = OxmlElement("w:t")
            t.text = line
            t.set(qn("xml:space"), "preserve")
            run._r.append(t)


def add_symbol(p: DocxParagraph, symbol: Symbol) -> None:
    glyph = docx_symbol(symbol)
    if glyph is None:
        return
    char, rgb = glyph
    run = p.add_run(char)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(rgb)
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), DOCX_SYMBOL_FONT)
    p.add_run(" ")


def _field(p: DocxParagraph, instruction: str, placeholder: str, dirty: bool = False) -> None:
    """A complex field (begin / instruction / separate / shown text / end), as Word writes them.
    A dirty field is recomputed by Word when the document opens."""

    def char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin" and dirty:
            el.set(qn("w:dirty"), "true")
        p.add_run()._r.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction if instruction.startswith(" ") else f" {instruction} "
    p.add_run()._r.append(instr)
    char("separate")
    p.add_run(placeholder)
    char("end")


def _drop_leading_empty_paragraph(cell: _Cell) -> None:
    """A new cell starts with an empty paragraph; drop it when the comment blocks were added after it."""
    content = [c for c in cell._tc if c.tag in (qn("w:p"), qn("w:tbl"))]
    first = content[0] if content else None
    if (
        len(content) > 1
        and first.tag == qn("w:p")
        and not first.xpath("./w:r")
        and content[-1].tag == qn("w:p")
    ):
        cell._tc.remove(first)
