"""new_document(reference): a generated document takes the reference's styles, header, footer
and logo, and nothing of its text or history; and LibreOffice opens what comes out."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from facilitator.exports import document
from facilitator.exports.reference_check import check_reference_docx
from tests.libreoffice import convert_to_pdf
from tests.reference_docs import (
    BODY_TEXT,
    FOOTER_TEXT,
    HEADER_TEXT,
    HEADING_COLOUR,
    LOGO,
    reference_docx,
)

COMMENTER = "Communicatieadviseur Jansen"


def generated(reference: bytes | None) -> bytes:
    """A short document as the exports make one: headings, text, a table, running texts."""
    doc = document.new_document(reference)
    document.set_running_texts(doc, "Casusgroep Noord · logboek 2026")
    document.set_properties(doc, title="Logboek", author="Regio Noord")
    doc.add_heading("Samenvatting", 1)
    doc.add_paragraph("Zes bijeenkomsten, veertien casussen.")
    doc.add_heading("Bevindingen", 2)
    doc.add_heading("Knelpunten", 3)
    document.add_table(doc, ["Niveau", "Aantal"], [("Uitvoering", 4), ("Beleid", 2)])
    return document.to_bytes(doc).getvalue()


def parts_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_comment(content: bytes) -> bytes:
    reference = docx.Document(io.BytesIO(content))
    paragraph = reference.paragraphs[0]
    reference.add_comment(paragraph.runs, text="Logo groter?", author=COMMENTER, initials="CJ")
    buffer = io.BytesIO()
    reference.save(buffer)
    return buffer.getvalue()


def with_dutch_style_names(content: bytes) -> bytes:
    """Headings named "Kop 1" to "Kop 3" (as a style made by hand in Dutch), ids "Kop1"."""
    reference = docx.Document(io.BytesIO(content))
    for level in (1, 2, 3):
        style = reference.styles[f"Heading {level}"]
        style.element.styleId = f"Kop{level}"
        style.element.name_val = f"Kop {level}"
    buffer = io.BytesIO()
    reference.save(buffer)
    return buffer.getvalue()


def test_a_generated_document_keeps_the_references_header_footer_logo_and_styles(app):
    opened = docx.Document(io.BytesIO(generated(reference_docx())))
    section = opened.sections[0]
    assert HEADER_TEXT in section.header.paragraphs[0].text
    assert section.header.paragraphs[-1].text == "Casusgroep Noord · logboek 2026"
    images = [
        r.target_part.blob for r in section.header.part.rels.values() if r.reltype.endswith("image")
    ]
    assert images == [LOGO]
    assert FOOTER_TEXT in [p.text for p in section.footer.paragraphs]
    assert " PAGE " in section.footer._element.xml
    assert opened.styles["Heading 2"].font.color.rgb == HEADING_COLOUR
    texts = [p.text for p in opened.paragraphs]
    assert texts == [
        "Samenvatting",
        "Zes bijeenkomsten, veertien casussen.",
        "Bevindingen",
        "Knelpunten",
    ]
    assert BODY_TEXT not in texts


def test_the_reference_without_a_house_style_gets_the_built_in_style(app):
    opened = docx.Document(io.BytesIO(generated(None)))
    assert opened.styles["Heading 1"].font.color.rgb != HEADING_COLOUR
    assert not any(
        r.reltype.endswith("image") for r in opened.sections[0].header.part.rels.values()
    )


def test_the_references_comments_and_thumbnail_stay_behind(app):
    reference = with_comment(reference_docx())
    assert any(COMMENTER.encode() in part for part in parts_of(reference).values())
    assert "docProps/thumbnail.jpeg" in parts_of(reference)
    parts = parts_of(generated(reference))
    assert not any(COMMENTER.encode() in part for part in parts.values())
    assert not any("comments" in name or "thumbnail" in name for name in parts)


def test_headings_named_kop_by_hand_are_found_by_the_check_and_by_add_heading(app):
    reference = with_dutch_style_names(reference_docx())
    check_reference_docx(reference)
    opened = docx.Document(io.BytesIO(generated(reference)))
    headings = [p.style.style_id for p in opened.paragraphs if p.style.style_id.startswith("Kop")]
    assert headings == ["Kop1", "Kop2", "Kop3"]
    assert opened.styles["Heading 1"].font.color.rgb == HEADING_COLOUR


@pytest.mark.parametrize("house_style", [False, True], ids=["built-in style", "house style"])
def test_libreoffice_converts_a_generated_document_to_pdf(app, tmp_path, house_style):
    content = generated(reference_docx() if house_style else None)
    pdf = convert_to_pdf(content, tmp_path)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
