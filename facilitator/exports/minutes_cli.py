"""``facilitator export minutes --meeting ID --output FILE``."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.cli_output import fail
from facilitator.core.i18n import in_language
from facilitator.exceptions import ServiceError
from facilitator.exports.cli import export_cli, report_refusal, write_file
from facilitator.exports.minutes_services import export_minutes
from facilitator.exports.screening import ExportRefused
from facilitator.extensions import db
from facilitator.meetings.models import Meeting


@export_cli.command("minutes")
@click.option("--meeting", "meeting_id", type=int, required=True, help="The meeting's id.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .docx file to write.",
)
def export_minutes_command(meeting_id: int, output: Path) -> None:
    """Write the minutes of a held meeting as Word: the approved file, or a draft.

    Every text passes the export screening first; on a hit nothing is written and the places
    to correct are listed.
    """
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        fail(f"no meeting with id {meeting_id}")
    with in_language(None):
        try:
            minutes = export_minutes(meeting, actor=None)
        except ExportRefused as refusal:
            db.session.commit()  # the refusal's audit rows stay
            report_refusal(refusal)
        except ServiceError as error:
            db.session.rollback()
            fail(error.message)
    write_file(output, minutes.content)
    db.session.commit()
    click.echo(f"{'final' if minutes.final else 'draft'} minutes written to {output}")
