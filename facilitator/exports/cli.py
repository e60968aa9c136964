"""``facilitator export ...``: the minutes of a meeting and the logbook, as files.

Each command reads the same read model as the page, screens its text like the page does, and
writes nothing when the screening finds personal data (exit status 1, with the places).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask.cli import AppGroup

from facilitator.cli_output import fail
from facilitator.exports import models  # noqa: F401  (its tables, for the commands and `db check`)
from facilitator.exports.screening import ExportRefused

export_cli = AppGroup("export", help="Write the minutes or the logbook as a Word file.")


def report_refusal(error: ExportRefused) -> None:
    """Print where the personal data is (never what), then exit 1."""
    click.echo(str(error), err=True)
    for hit in error.hits:
        place = hit.place
        case = f" · {place.case_pseudonym}" if place.case_pseudonym else ""
        click.echo(f"{place.where}{case} · {place.field}: {hit.label}", err=True)
    raise SystemExit(1)


def write_file(output: str | Path, content: bytes) -> None:
    """Write the file in one piece: a temporary file beside it, renamed when complete, so a
    failure never leaves a partial file under the asked name."""
    output = Path(output)
    directory = output.resolve().parent
    if not directory.is_dir():
        fail(f"no folder {directory}")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-", suffix=output.suffix)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# The commands register themselves on the group when imported.
from facilitator.exports import logbook_cli, minutes_cli  # noqa: E402, F401
