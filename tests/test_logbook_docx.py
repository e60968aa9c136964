"""The logbook's Word file (issue 10), opened with python-docx: its headings, tables, chart with
its text alternative, running header and footer fields, properties; and LibreOffice opens it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from io import BytesIO

import docx
import pytest
from docx.oxml.ns import qn

from facilitator.exports.charts import building_blocks_chart
from facilitator.exports.logbook import logbook_data
from facilitator.exports.logbook_docx import build_logbook_docx
from tests.logbook_world import HANDOVER_REASON, make_logbook_world

HEADINGS = [
    "Samenvatting",
    "Bijeenkomsten",
    "Casussen",
    "Bevindingen",
    "Signalen voor de beleidsgroep",
    "Vervolgacties",
    "Regievoering",
    "Bouwstenen",
    "Monitoring",
    "Verhalen",
    "Feedback",
]


@pytest.fixture
def logbook(app):
    built = make_logbook_world()
    with app.test_request_context():
        data = logbook_data(built.scope())
        built.file = build_logbook_docx(data).getvalue()
        yield built


def _document(content: bytes):
    return docx.Document(BytesIO(content))


def _rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def test_the_sections_have_their_dutch_headings_in_order_in_heading_styles(logbook):
    document = _document(logbook.file)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3"} <= styles
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == HEADINGS
    assert document.paragraphs[0].text == "Logboek Regio Noord"


def test_the_tables_hold_the_numbers_and_every_finding(logbook):
    rows = _rows(_document(logbook.file))
    assert ["Kerncijfer", "Aantal"] in rows
    assert ["Gehouden bijeenkomsten", "2"] in rows
    # 3 of 3 discussed cases: no share over fewer than 5 cases (issue 14)
    assert ["Besproken casussen met een regievoerder (%)", "—"] in rows
    assert ["Besproken casussen", "<5"] in rows
    assert ["Gemeente Noord", "1", "0", "1", "1"] in rows  # actions per organisation
    texts = {cell for row in rows for cell in row}
    for finding in (
        "Overdracht tussen UWV en gemeente loopt stroef",
        "Gezamenlijk budget voor jobcoaching",
        "Regels over bijverdienen schrikken af",
    ):
        assert finding in texts
    assert HANDOVER_REASON in texts
    assert "Buiten de periode" not in texts


def test_tables_repeat_their_header_row_on_every_page(logbook):
    document = _document(logbook.file)
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_chart_is_an_image_with_its_text_alternative(logbook):
    document = _document(logbook.file)
    [shape] = document.inline_shapes
    description = shape._inline.docPr.get("descr")
    assert description.startswith("Lijngrafiek van de scores op de bouwstenen van Casusgroep Noord")
    assert "Kennen van 3 naar 4" in description
    image = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert image.blob.startswith(b"\x89PNG")


def test_the_chart_alone_is_a_png_with_the_same_text(app, logbook):
    data = logbook_data(logbook.scope())
    chart = building_blocks_chart(data.building_blocks.groups[0])
    assert chart.png.startswith(b"\x89PNG")
    assert "Casusgroep Noord" in chart.alt_text


def test_header_names_the_logbook_and_the_footer_counts_pages_with_fields(logbook):
    document = _document(logbook.file)
    section = document.sections[0]
    assert "Logboek Regio Noord" in section.header.paragraphs[0].text
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert footer.count('w:fldCharType="begin"') == 2
    assert section.footer.paragraphs[0].text.startswith("Pagina ")


def test_the_properties_are_set_on_purpose_and_name_no_client(logbook):
    properties = _document(logbook.file).core_properties
    assert properties.title.startswith("Logboek Regio Noord")
    assert properties.author == properties.last_modified_by == "Projectleiding Regio Noord"
    assert properties.comments == ""
    package = zipfile.ZipFile(BytesIO(logbook.file))
    everything = b"".join(package.read(name) for name in package.namelist())
    for value in ("Voorbeeldt", "123456782", "CL-90812", logbook.world.consent_case.pseudonym):
        assert value.encode() not in everything


def test_libreoffice_converts_the_logbook_to_pdf(logbook, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "logboek.docx"
    source.write_bytes(logbook.file)
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "logboek.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists(), result.stdout + result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_house_style_keeps_its_header_and_gets_the_logbook(app, logbook):
    reference = docx.Document()
    reference.sections[0].header.paragraphs[0].text = "Huisstijl Regio Noord"
    reference.add_paragraph("Deze tekst hoort niet in het logboek")
    buffer = BytesIO()
    reference.save(buffer)
    data = logbook_data(logbook.scope())
    document = _document(build_logbook_docx(data, reference=buffer.getvalue()).getvalue())
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    assert "Huisstijl Regio Noord" in header and "Logboek Regio Noord" in header
    body = [p.text for p in document.paragraphs]
    assert "Deze tekst hoort niet in het logboek" not in body
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == HEADINGS
