"""A house style never carries links out of the document or its author's details into an export
(review of issue 10): an attached template or linked picture would make Word fetch a file from
elsewhere when a manager opens the logbook; the extended properties name a company, a manager
and a template."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from facilitator.exports import document
from facilitator.exports.reference_check import NotAReference, check_reference_docx
from tests.reference_docs import reference_docx

ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)


def _with_attached_template(content: bytes) -> bytes:
    reference = docx.Document(io.BytesIO(content))
    settings = next(
        rel.target_part for rel in reference.part.rels.values() if rel.reltype.endswith("/settings")
    )
    settings.relate_to("file://elders.example/sjabloon.dotx", ATTACHED_TEMPLATE, is_external=True)
    buffer = io.BytesIO()
    reference.save(buffer)
    return buffer.getvalue()


def test_a_reference_with_a_link_outside_itself_is_refused(app):
    check_reference_docx(reference_docx())
    with pytest.raises(NotAReference, match="buiten"):
        check_reference_docx(_with_attached_template(reference_docx()))


def test_the_references_extended_properties_stay_behind(app):
    content = reference_docx()
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert "docProps/app.xml" in package.namelist()
    built = document.to_bytes(document.new_document(content)).getvalue()
    with zipfile.ZipFile(io.BytesIO(built)) as package:
        assert "docProps/app.xml" not in package.namelist()
        assert "docProps/core.xml" in package.namelist()
