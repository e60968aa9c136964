"""``facilitator monitoring export``: a region's figures as CSV (Dutch Excel), suppressed as on
the figures page, with an audit row as every export has."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from facilitator.exports.cli import write_file
from facilitator.extensions import db
from facilitator.groups.services import find_group
from facilitator.monitoring.csv_export import export_monitoring_csv
from facilitator.monitoring.figures import INTERVALS, MonitoringScope
from facilitator.monitoring.forms import FIRST_DAY, LAST_DAY, MAX_SPAN
from facilitator.regions.services import find_region

monitoring_cli = AppGroup("monitoring", help="The monitoring figures of a region.")


@monitoring_cli.command("export")
@click.option("--region", "region_name", required=True, help="The region's name.")
@click.option("--group", "group_name", help="One group of the region. None: the whole region.")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--interval", type=click.Choice(INTERVALS), default="quarter", show_default=True)
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
def export_command(
    region_name: str,
    group_name: str | None,
    start: datetime,
    end: datetime,
    interval: str,
    output: str,
) -> None:
    """Write the figures as CSV (';', UTF-8 with BOM); counts from 1 to 4 show as <5."""
    region = find_region(region_name)
    if region is None:
        raise click.ClickException(f"No region named {region_name!r}.")
    groups = ()
    if group_name:
        group = find_group(group_name, region)
        if group is None:
            raise click.ClickException(f"No group named {group_name!r} in {region.name}.")
        groups = (group,)
    if end < start:
        raise click.ClickException("--to lies before --from.")
    if end - start > MAX_SPAN:
        raise click.ClickException("Choose a period of at most three years.")
    if start.date() < FIRST_DAY or end.date() > LAST_DAY:
        raise click.ClickException(f"Choose a period from {FIRST_DAY} to {LAST_DAY}.")
    scope = MonitoringScope(region, groups, start.date(), end.date(), interval)
    content, _filename = export_monitoring_csv(scope, actor=None)
    write_file(output, content)
    db.session.commit()
    click.echo(f"{output}: {len(content)} bytes")
