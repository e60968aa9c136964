"""Is an uploaded file a Word reference document we can take a house style from?

A beheerder uploads a region's house style as a ``.docx``: a zip archive of XML parts. Before
anything is stored it must be a real one, bounded in every way a hostile archive could grow
(its size, its number of parts, what it unpacks to: a zip bomb is small and unpacks to
gigabytes), open in python-docx, and hold the styles the minutes and the logbook use (Heading 1
to 3, also when Word named them in another language, like "Kop 1"). Each refusal says what is
wrong in words a beheerder can act on. Pure: bytes in, a refusal or nothing out.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

import docx
from docx.enum.style import WD_STYLE_TYPE
from flask_babel import lazy_gettext as _l

from facilitator.exceptions import ServiceError

#: The largest file taken, as uploaded (compressed).
MAX_BYTES = 5 * 1024 * 1024
#: The most all its parts may unpack to together.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
#: The most parts (files in the archive); a letterhead has a few dozen.
MAX_ENTRIES = 200
#: Parts every Word document has.
REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
#: The heading levels the exports use; each found by style id or name, in English or Dutch.
HEADING_LEVELS = (1, 2, 3)
_CHUNK = 64 * 1024


class NotAReference(ServiceError):
    """The file is no usable reference document; ``message`` says why."""

    def __init__(self, message) -> None:
        super().__init__(message, field="file")


def check_reference_docx(content: bytes) -> None:
    """Refuse anything but a bounded, readable .docx with the styles Heading 1 to 3."""
    if not content:
        raise NotAReference(_l("The file is empty."))
    if len(content) > MAX_BYTES:
        raise NotAReference(
            _l(
                "The file is larger than %(mb)s MB. Remove large images from it and try again.",
                mb=MAX_BYTES // (1024 * 1024),
            )
        )
    _check_archive(content)
    try:
        document = docx.Document(BytesIO(content))
    except Exception as error:  # python-docx raises many kinds for a broken package
        raise NotAReference(
            _l(
                "Word cannot open this file (it is damaged, or a template or a document with "
                "macros). Save it in Word as a Word document (.docx) and try again."
            )
        ) from error
    if _external_links(document):
        raise NotAReference(
            _l(
                "The document links to files outside itself (a template, a linked picture or "
                "a link in the header or footer). Word would fetch them when a reader opens an "
                "export. Remove the links, save it as a plain Word document and try again."
            )
        )
    missing = [level for level in HEADING_LEVELS if heading_style_id(document, level) is None]
    if missing:
        raise NotAReference(
            _l(
                "The document lacks the style %(styles)s. Use each of the styles Heading 1, "
                "Heading 2 and Heading 3 (Kop 1, Kop 2 and Kop 3) once in the document, or "
                "define them, then save it and try again.",
                styles=", ".join(f"Heading {level} (Kop {level})" for level in missing),
            )
        )


def _external_links(document) -> bool:
    """Whether any part of the package points outside it (TargetMode="External")."""
    return any(
        relationship.is_external
        for part in document.part.package.iter_parts()
        for relationship in part.rels.values()
    ) or any(relationship.is_external for relationship in document.part.package.rels.values())


def heading_style_id(document, level: int) -> str | None:
    """The id of the document's paragraph style for heading ``level``, or None.

    Word keeps a built-in style's name in English ("heading 1") whatever the language, but
    gives it an id in the user's language ("Kop1" in Dutch Word); a style made by hand may
    carry the Dutch name itself.
    """
    ids = {f"heading{level}", f"kop{level}"}
    names = {f"heading {level}", f"kop {level}"}
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        style_id = (style.style_id or "").lower()
        name = (style.element.name_val or "").lower()
        if style_id in ids or name in names:
            return style.style_id
    return None


def _check_archive(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise NotAReference(
            _l(
                "This is not a Word document (.docx): the file is no zip archive. Save it in "
                "Word as a Word document (.docx) and try again."
            )
        ) from error
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise NotAReference(
                _l(
                    "The file holds more than %(count)s parts; a Word document holds far fewer.",
                    count=MAX_ENTRIES,
                )
            )
        names = {entry.filename for entry in entries}
        if not all(part in names for part in REQUIRED_PARTS):
            raise NotAReference(
                _l(
                    "This zip archive is not a Word document (.docx): it lacks the parts every "
                    "Word document has. Save it in Word as a Word document (.docx) and try again."
                )
            )
        _check_unpacked_size(archive, entries)


def _check_unpacked_size(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Unpack every part, counting, and stop at the limit: the sizes an archive declares may
    lie, what comes out does not."""
    too_large = NotAReference(
        _l(
            "The file unpacks to more than %(mb)s MB; a Word document with a house style is far "
            "smaller.",
            mb=MAX_UNPACKED_BYTES // (1024 * 1024),
        )
    )
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise too_large
    unpacked = 0
    try:
        for entry in entries:
            with archive.open(entry) as part:
                while chunk := part.read(_CHUNK):
                    unpacked += len(chunk)
                    if unpacked > MAX_UNPACKED_BYTES:
                        raise too_large
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        RuntimeError,
        EOFError,
        NotImplementedError,
        ValueError,
    ) as error:
        # A damaged part, an encrypted one (RuntimeError) or an unknown compression.
        raise NotAReference(
            _l(
                "The file is damaged or encrypted: not every part of it can be read. Save it in "
                "Word as a Word document (.docx) without a password and try again."
            )
        ) from error
