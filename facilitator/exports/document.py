"""The Word document every export starts from: the region's house style or a clean built-in one,
a running header, "Pagina X van Y" in the footer, and document properties set on purpose.

Only python-docx here, and no database but :func:`house_style`: the builders stay pure
functions of their data. Tables are filled row by row (``add_row().cells``): python-docx's
``table.cell(r, c)`` walks the whole table for every cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from io import BytesIO

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph
from flask_babel import gettext as _
from sqlalchemy import select

from facilitator.extensions import db

#: The built-in look: a quiet sans-serif, dark blue headings.
_FONT = "Calibri"
_HEADING_COLOUR = RGBColor(0x1F, 0x3A, 0x5F)
#: Marks the place of a field in a translated sentence.
_FIELD = "\x00"


def new_document(reference: bytes | None = None) -> Document:
    """An empty document in the region's house style (``reference``), else the built-in one.

    From a reference its styles, numbering, header, footer and logo stay; its body goes,
    except the last section's properties (page size, margins, the header and footer links).
    """
    if reference is None:
        document = docx.Document()
        _built_in_style(document)
        return document
    document = docx.Document(BytesIO(reference))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _drop_leftovers(document)
    _name_headings(document)
    return document


#: Parts of a reference that belong to its own text or history, not to its look: its
#: comments and their authors, its custom and extended properties (company, manager, template),
#: the thumbnail of its first page.
_LEFTOVER_PARTS = (
    "/extended-properties",
    "/comments",
    "/commentsExtended",
    "/commentsIds",
    "/commentsExtensible",
    "/people",
    "/custom-properties",
    "/metadata/thumbnail",
)


def _drop_leftovers(document: Document) -> None:
    for part in (document.part, document.part.package):
        for r_id, relationship in list(part.rels.items()):
            if relationship.reltype.endswith(_LEFTOVER_PARTS):
                del part.rels[r_id]


def _name_headings(document: Document) -> None:
    """Let ``add_heading`` find Heading 1 to 3 by name whatever the reference called them.

    Word keeps a built-in style's name in English ("heading 1"), which python-docx looks for;
    a style made by hand may be named in Dutch ("Kop 1"). The reference check accepted it by
    its id or name (reference_check.heading_style_id); here it gets the name python-docx uses.
    """
    from facilitator.exports.reference_check import heading_style_id

    for level in (1, 2, 3):
        try:
            document.styles[f"Heading {level}"]
        except KeyError:
            style_id = heading_style_id(document, level)
            if style_id is not None:
                document.styles.element.get_by_id(style_id).name_val = f"heading {level}"


def _built_in_style(document: Document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(10.5)
    for level, size in ((1, 16), (2, 13), (3, 11.5)):
        heading = styles[f"Heading {level}"]
        heading.font.name = _FONT
        heading.font.size = Pt(size)
        heading.font.color.rgb = _HEADING_COLOUR
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)


def set_running_texts(document: Document, header_text: str) -> None:
    """The header line and, in the footer, the page number of the page count (as fields)."""
    for section in document.sections:
        header = section.header
        header.is_linked_to_previous = False
        paragraph = _free_paragraph(header.paragraphs) or header.add_paragraph()
        paragraph.text = header_text
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = _free_paragraph(footer.paragraphs) or footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sentence = _("Page %(page)s of %(pages)s", page=_FIELD, pages=_FIELD)
        before, middle, after = sentence.split(_FIELD)
        paragraph.add_run(before)
        _add_field(paragraph, "PAGE")
        paragraph.add_run(middle)
        _add_field(paragraph, "NUMPAGES")
        paragraph.add_run(after)


def _free_paragraph(paragraphs: Sequence[Paragraph]) -> Paragraph | None:
    """The header's or footer's one empty paragraph (the built-in template has one)."""
    if len(paragraphs) == 1 and not paragraphs[0].text and not _has_drawing(paragraphs[0]):
        return paragraphs[0]
    return None


def _has_drawing(paragraph: Paragraph) -> bool:
    return bool(paragraph._p.xpath(".//w:drawing | .//w:pict"))


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """A complex field (begin, instruction, separate, shown value, end), as Word writes it."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1")):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def set_properties(
    document: Document, *, title: str, author: str, subject: str = "", keywords: str = ""
) -> None:
    """Every core property, explicitly: nothing of the reference's author or history stays."""
    properties = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    properties.title = title
    properties.author = author
    properties.last_modified_by = author
    properties.subject = subject
    properties.keywords = keywords
    properties.comments = ""
    properties.category = ""
    properties.content_status = ""
    properties.identifier = ""
    properties.version = ""
    properties.language = ""
    properties.revision = 1
    properties.created = now
    properties.modified = now
    properties.last_printed = now


def add_table(
    document: Document,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    style: str | None = None,
    widths: Sequence[float] = (),
):
    """A table with a repeated header row, filled row by row.

    All rows are made in one go (python-docx writes the empty table from one template) and then
    filled through ``row.cells``: three times faster than ``add_row()`` per row, which looks up
    the grid's widths again for every row, and far from ``table.cell(r, c)``, which walks the
    whole table for every cell. ``widths`` shares the text width between the columns (relative
    weights, e.g. a wide first column for a finding's text); without, the columns are equal.
    """
    rows = list(rows)
    table = document.add_table(rows=len(rows) + 1, cols=len(headers))
    table.style = style or _table_style(document)
    header, *body = table.rows
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row, values in zip(body, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            if value is not None and value != "":
                cell.paragraphs[0].add_run(str(value))
    if widths:
        _set_widths(document, table, widths)
    return table


def _set_widths(document: Document, table, weights: Sequence[float]) -> None:
    """Column widths in the grid and in every cell (Word reads the cells, LibreOffice the grid).

    The cells' width elements are set directly: ``cell.width`` per cell would cost a quarter of
    a second on a region-year's findings.
    """
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    total = sum(weights)
    widths = [Emu(int(usable * weight / total)) for weight in weights]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    twips = [str(width.twips) for width in widths]
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, twips, strict=True):
            tc.get_or_add_tcPr().get_or_add_tcW().set(qn("w:w"), width)


def _table_style(document: Document) -> str | None:
    names = {style.name for style in document.styles}
    return next((name for name in ("Table Grid", "Light List Accent 1") if name in names), None)


def add_picture(document: Document, png: BytesIO, *, alt_text: str, width_cm: float) -> None:
    """An image in its own paragraph, with its text alternative for screen readers."""
    document.add_picture(png, width=Cm(width_cm))
    inline = document.paragraphs[-1]._p.xpath(".//wp:docPr")[-1]
    inline.set("descr", alt_text)
    inline.set("title", alt_text[:250])


def to_bytes(document: Document) -> BytesIO:
    buffer = BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def house_style(region_id: int) -> bytes | None:
    """The region's reference document, if a beheerder uploaded one."""
    from facilitator.exports.models import HouseStyle

    return db.session.scalar(select(HouseStyle.content).where(HouseStyle.region_id == region_id))
