"""``facilitator export logbook``: the logbook of a region, some groups, a period, as a file.

The same read model, screening and builder as the logbook page; the Word file is kept as an
edition (issued by nobody: the command line). ``--csv`` writes the findings or the actions
instead, as the page's CSV downloads do.
"""

from __future__ import annotations

from datetime import datetime

import click

from facilitator.exports.cli import export_cli, report_refusal, write_file
from facilitator.exports.logbook import LogbookScope
from facilitator.exports.logbook_export import export_logbook, export_logbook_csv
from facilitator.exports.logbook_forms import MAX_SPAN
from facilitator.exports.screening import ExportRefused
from facilitator.extensions import db
from facilitator.groups.services import find_group
from facilitator.regions.services import find_region

#: The CSV lists by their name on the command line, and in the logbook's addresses.
CSV_NAMES = {"findings": "bevindingen", "actions": "acties"}


@export_cli.command("logbook")
@click.option("--region", "region_name", required=True, help="The region's name.")
@click.option(
    "--group",
    "group_names",
    multiple=True,
    help="A group of the region; repeat for several. None: the whole region.",
)
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option(
    "--csv",
    "csv_list",
    type=click.Choice(sorted(CSV_NAMES)),
    help="Write the findings or the actions as CSV (';', UTF-8 with BOM) instead of the "
    "Word file; no edition is kept.",
)
def export_logbook_command(
    region_name: str,
    group_names: tuple[str, ...],
    start: datetime,
    end: datetime,
    output: str,
    csv_list: str | None,
) -> None:
    """Write the logbook as a Word file (kept as an edition), or its findings or actions as CSV.

    Nothing is written when the text holds personal data: the places are listed, exit 1.
    """
    scope = _scope(region_name, group_names, start.date(), end.date())
    try:
        if csv_list:
            content = export_logbook_csv(scope, CSV_NAMES[csv_list], actor=None)
        else:
            content = export_logbook(scope, actor=None).content
    except ExportRefused as error:
        db.session.rollback()
        report_refusal(error)
    write_file(output, content)
    db.session.commit()
    click.echo(f"{output}: {len(content)} bytes")


def _scope(region_name: str, group_names, start, end) -> LogbookScope:
    region = find_region(region_name)
    if region is None:
        raise click.ClickException(f"No region named {region_name!r}.")
    groups = []
    for name in group_names:
        group = find_group(name, region)
        if group is None:
            raise click.ClickException(f"No group named {name!r} in {region.name}.")
        groups.append(group)
    if end < start:
        raise click.ClickException("--to lies before --from.")
    if end - start > MAX_SPAN:
        raise click.ClickException("Choose a period of at most three years.")
    return LogbookScope(region, tuple(groups), start, end)
