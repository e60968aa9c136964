"""The reference-document check: a real .docx with Heading 1 to 3 passes, anything else is
refused with a message that says what is wrong (before anything is stored)."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from facilitator.exports import reference_check
from facilitator.exports.reference_check import NotAReference, check_reference_docx
from tests.reference_docs import (
    lying_zip_bomb,
    reference_docx,
    with_parts,
    zip_bomb,
    zip_of,
)


def refusal(content: bytes) -> str:
    with pytest.raises(NotAReference) as refused:
        check_reference_docx(content)
    assert refused.value.field == "file"
    return str(refused.value.message)


def test_a_reference_document_with_logo_footer_and_headings_passes(app):
    check_reference_docx(reference_docx())


def test_headings_with_the_ids_dutch_word_gives_them_pass(app):
    check_reference_docx(reference_docx(heading_ids="Kop"))


def test_an_empty_file_is_refused(app):
    assert "Het bestand is leeg." in refusal(b"")


def test_a_file_that_is_no_zip_is_refused(app):
    assert "het bestand is geen zip-archief" in refusal(b"%PDF-1.7\n" + b"x" * 2000)


def test_a_zip_that_is_no_word_document_is_refused(app):
    message = refusal(zip_of({"notities.txt": b"Agenda van de regio"}))
    assert "Dit zip-archief is geen Word-document (.docx)" in message


def test_a_zip_with_the_parts_but_no_readable_document_is_refused(app):
    broken = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<niet af"})
    assert "Word kan dit bestand niet openen" in refusal(broken)


def test_a_document_without_heading_3_is_refused_naming_the_missing_style(app):
    message = refusal(reference_docx(without=(3,)))
    assert "ontbreekt de stijl Heading 3 (Kop 3)." in message
    assert "Heading 1 (Kop 1)" not in message.split("Gebruik")[0]


def test_a_document_without_any_heading_names_all_three(app):
    message = refusal(reference_docx(without=(1, 2, 3)))
    assert "Heading 1 (Kop 1), Heading 2 (Kop 2), Heading 3 (Kop 3)" in message


def test_too_many_parts_are_refused(app):
    parts = {f"word/media/image{n}.png": b"x" for n in range(reference_check.MAX_ENTRIES)}
    assert "meer dan 200 onderdelen" in refusal(with_parts(reference_docx(), parts))


def test_a_zip_bomb_is_refused_before_it_is_unpacked_whole(app):
    bomb = zip_bomb(40)
    assert len(bomb) < 1024 * 1024  # small packed: the size limit alone would let it in
    assert "uitgepakt groter dan 20 MB" in refusal(bomb)


def test_a_zip_bomb_that_lies_about_its_size_is_refused_too(app):
    assert "beschadigd of versleuteld" in refusal(lying_zip_bomb(40))


def test_a_file_over_the_size_limit_is_refused(app):
    padding = random.Random(10).randbytes(reference_check.MAX_BYTES)  # does not pack smaller
    big = with_parts(reference_docx(), {"word/media/noise.bin": padding})
    assert len(big) > reference_check.MAX_BYTES
    assert "groter dan 5 MB" in refusal(big)


def test_a_document_with_macros_is_refused(app):
    original = reference_docx()
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        types = archive.read("[Content_Types].xml")
    macro_types = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    assert macro_types != types
    assert "Word kan dit bestand niet openen" in refusal(
        with_parts(original, {"[Content_Types].xml": macro_types})
    )
