"""What every export view answers: the file, or the refusal with the places to correct."""

from __future__ import annotations

from io import BytesIO

from flask import render_template, send_file

from facilitator.exports.screening import ExportRefused

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def send_export(content: BytesIO | bytes, filename: str, mimetype: str = DOCX):
    """The file as a download that no cache keeps; ``filename`` carries no client data."""
    data = content.getvalue() if isinstance(content, BytesIO) else content
    response = send_file(
        BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def refusal_page(error: ExportRefused, *, back_url: str, back_label: str):
    """The places where personal data was found, each a link to correct it; no file (409)."""
    return (
        render_template(
            "exports/refused.html", error=error, back_url=back_url, back_label=back_label
        ),
        409,
    )
