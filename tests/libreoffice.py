"""LibreOffice for the tests: a Word file converted to PDF proves it opens outside python-docx.

LibreOffice (Debian package ``libreoffice-writer-nogui``, command ``soffice``) is optional on
a laptop and required in CI: ``require_soffice()`` skips a test when it is missing, and fails
it when ``CASUSTAFEL_NO_SKIP=1`` (as the page crawl does without the Nu HTML Checker).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CONVERT_TIMEOUT_S = 120


class ConversionFailed(RuntimeError):
    """soffice did not make a PDF; the message holds what it said."""


def soffice() -> str | None:
    """The path of ``soffice`` here, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """Return the ``soffice`` command, or skip the test (a failure with CASUSTAFEL_NO_SKIP=1)."""
    command = soffice()
    if command is None:
        message = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        if os.environ.get("CASUSTAFEL_NO_SKIP") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return command


def convert_to_pdf(docx_bytes: bytes, workdir: Path) -> bytes:
    """Convert a .docx to PDF with soffice, headless, in a profile of its own; return the PDF.

    A private profile (``-env:UserInstallation``) keeps parallel runs, and the user's own
    LibreOffice, from sharing a lock. Raise ConversionFailed with soffice's output otherwise.
    """
    command = require_soffice()
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / "document.docx"
    source.write_bytes(docx_bytes)
    profile = (workdir / "lo-profile").resolve().as_uri()
    outdir = workdir / "pdf"
    try:
        result = subprocess.run(
            [
                command,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=CONVERT_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ConversionFailed(
            f"soffice took more than {CONVERT_TIMEOUT_S} s: {error.stdout!r} {error.stderr!r}"
        ) from error
    pdf = outdir / "document.pdf"
    if result.returncode != 0 or not pdf.is_file():
        raise ConversionFailed(
            f"soffice exited {result.returncode} without a PDF:\n{result.stdout}\n{result.stderr}"
        )
    return pdf.read_bytes()
