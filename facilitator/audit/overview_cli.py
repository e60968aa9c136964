"""``facilitator audit overview --case ID --output FILE``: the client's own overview as Word.

The operator acts on the server itself, outside the consent scopes, like ``export minutes``:
the same service as the case page's download, screened and audited alike.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from facilitator.audit.overview_services import export_access_overview
from facilitator.cases.models import Case
from facilitator.cli_output import fail
from facilitator.core.i18n import in_language
from facilitator.exports.cli import report_refusal, write_file
from facilitator.exports.screening import ExportRefused
from facilitator.extensions import db


@click.command("overview")
@click.option("--case", "case_id", type=int, required=True, help="The case's id.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .docx file to write.",
)
@with_appcontext
def overview_command(case_id: int, output: Path) -> None:
    """Write who looked at or changed a case's data (AVG art. 15), for the client.

    Every text passes the export screening first; on a hit nothing is written.
    """
    case = db.session.get(Case, case_id)
    if case is None:
        fail(f"no case with id {case_id}")
    with in_language(None):
        try:
            overview = export_access_overview(case, actor=None)
        except ExportRefused as refusal:
            db.session.commit()  # the refusal's audit rows stay
            report_refusal(refusal)
    write_file(output, overview.content)
    db.session.commit()
    click.echo(f"overview of case {case.pseudonym} ({overview.rows} rows) written to {output}")
