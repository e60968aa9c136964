"""Reference documents for the house-style tests, made here with python-docx and zipfile.

``reference_docx()`` is what a region's communication adviser would make in Word: a logo and a
line of text in the header, a footer, Heading 1 to 3 in the region's own font and colour, and
some text of its own (which a generated document must not carry). The others are what a
beheerder might upload by mistake, or an attacker on purpose.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
from docx.shared import Pt, RGBColor

HEADER_TEXT = "Arbeidsmarktregio Noord: huisstijl"
FOOTER_TEXT = "Regio Noord, Postbus 12, Noorderstad"
BODY_TEXT = "Dit is de tekst van het sjabloon zelf, niet van een verslag."
HEADING_COLOUR = RGBColor(0x1F, 0x4E, 0x79)
HEADING_FONT = "DejaVu Serif"


def png(width: int = 24, height: int = 12, rgb: tuple[int, int, int] = (31, 78, 121)) -> bytes:
    """A small PNG in one colour: the region's logo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


LOGO = png()


def reference_docx(*, without: tuple[int, ...] = (), heading_ids: str = "Heading") -> bytes:
    """A reference document with a header logo, a footer and custom Heading 1 to 3.

    ``without`` leaves heading levels out; ``heading_ids="Kop"`` gives the headings the ids
    Dutch Word gives them ("Kop1"), their names staying "heading 1" as Word keeps them.
    """
    document = docx.Document()
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(LOGO), width=Pt(48))
    header.add_run(" " + HEADER_TEXT)
    section.footer.paragraphs[0].text = FOOTER_TEXT
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        if level in without:
            style.element.getparent().remove(style.element)
            continue
        style.font.name = HEADING_FONT
        style.font.color.rgb = HEADING_COLOUR
        style.font.size = Pt(22 - 3 * level)
        if heading_ids != "Heading":
            style.element.styleId = f"{heading_ids}{level}"
    document.add_paragraph(BODY_TEXT)
    document.add_paragraph("Nog een alinea van het sjabloon.", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_of(parts: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_parts(content: bytes, extra: dict[str, bytes]) -> bytes:
    """A copy of a .docx with extra parts added to its archive."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    return zip_of({**parts, **extra})


def zip_bomb(unpacked_mb: int = 40) -> bytes:
    """A valid .docx with one part of zeros: small packed, ``unpacked_mb`` MB unpacked."""
    return with_parts(reference_docx(), {"word/media/padding.bin": bytes(unpacked_mb << 20)})


def lying_zip_bomb(unpacked_mb: int = 40) -> bytes:
    """A zip bomb whose headers declare its big part tiny, so a check of the declared sizes
    alone lets it through."""
    content = bytearray(zip_bomb(unpacked_mb))
    real = unpacked_mb << 20
    small = struct.pack("<I", 1024)
    actual = struct.pack("<I", real)
    # The uncompressed size sits at offset 22 of a local header, 24 of a central one.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := content.find(signature, start)) != -1:
            if content[start + offset : start + offset + 4] == actual:
                content[start + offset : start + offset + 4] = small
            start += 4
    assert bytes(content) != zip_bomb(unpacked_mb)
    return bytes(content)


def empty_docx() -> bytes:
    """A real, empty Word file: what a kept edition holds at the least."""
    from facilitator.exports import document

    return document.to_bytes(document.new_document()).getvalue()
