"""The logbook as a Word file: a pure function of the read model, via exports/document.py.

The blocks come from :func:`facilitator.exports.logbook_outline.outline`, the same the page
shows. Tables are filled row by row (``document.add_table``): the logbook of a region-year holds
thousands of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from docx.document import Document
from flask_babel import gettext as _

from facilitator.exports import document as word
from facilitator.exports.charts import ChartImage as DrawnChart
from facilitator.exports.charts import building_blocks_chart
from facilitator.exports.logbook import LogbookData
from facilitator.exports.logbook_blocks import GroupBlocks
from facilitator.exports.logbook_outline import (
    Chart,
    Heading,
    Paragraph,
    Table,
    outline,
    scope_line,
    title,
)

#: The chart's width on an A4 page with the built-in margins.
CHART_WIDTH_CM = 16.0


def build_logbook_docx(
    data: LogbookData,
    *,
    reference: bytes | None = None,
    charts: Callable[[GroupBlocks], DrawnChart] = building_blocks_chart,
) -> BytesIO:
    """The logbook of ``data`` as a .docx, in the house style of ``reference`` if given."""
    document = word.new_document(reference)
    heading = title(data)
    word.set_running_texts(document, f"{heading} · {scope_line(data)}")
    word.set_properties(
        document,
        title=f"{heading}, {scope_line(data)}",
        author=_("Project management %(region)s", region=data.region_name),
        subject=_("Logbook of the case discussions"),
        keywords=_("logbook, case discussions"),
    )
    _title(document, heading, scope_line(data))
    for block in outline(data):
        _write(document, block, charts)
    return word.to_bytes(document)


def _title(document: Document, heading: str, subtitle: str) -> None:
    names = {style.name for style in document.styles}
    if "Title" in names:
        document.add_paragraph(heading, style="Title")
    else:
        document.add_heading(heading, level=1)
    document.add_paragraph(subtitle, style="Subtitle" if "Subtitle" in names else None)


def _write(document: Document, block, charts: Callable[[GroupBlocks], DrawnChart]) -> None:
    if isinstance(block, Heading):
        document.add_heading(block.text, level=block.level)
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph()
        if block.label:
            paragraph.add_run(block.label + " ").bold = True
        paragraph.add_run(block.text)
    elif isinstance(block, Table):
        word.add_table(document, block.headers, block.rows, widths=block.widths)
        document.add_paragraph()
    elif isinstance(block, Chart):
        drawn = charts(block.group)
        word.add_picture(
            document, BytesIO(drawn.png), alt_text=drawn.alt_text, width_cm=CHART_WIDTH_CM
        )
