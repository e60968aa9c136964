"""``facilitator cases ...``: list, and bulk registration from a CSV file."""

from pathlib import Path

import click
from flask.cli import AppGroup

from facilitator.cases.importer import ImportError_, discard, import_cases
from facilitator.cases.services import all_cases
from facilitator.cli_output import counted, echo_table, fail
from facilitator.extensions import db
from facilitator.groups.services import find_group

cases_cli = AppGroup("cases", help="Cases, always under their pseudonym.")


@cases_cli.command("list")
@click.option("--group", "group_name", help="Only the cases of this group.")
def list_cases(group_name):
    """Print cases, tab-separated: pseudonym, group, mode, organisation, status."""
    group = None
    if group_name:
        group = find_group(group_name)
        if group is None:
            fail(f"no single group named {group_name!r}")
    echo_table(
        ("pseudonym", "group", "mode", "organisation", "status"),
        (
            (c.pseudonym, c.group.name, c.privacy_mode.value, c.organisation.name, c.status.value)
            for c in db.session.scalars(all_cases(group))
        ),
    )


@cases_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--group", "group_name", required=True, help="The group the cases are for.")
def import_command(file, group_name):
    """Register many cases at once from a CSV file; all or nothing."""
    group = find_group(group_name)
    if group is None:
        fail(f"no single group named {group_name!r}")
    try:
        cases = import_cases(file.read_bytes(), group)
    except ImportError_ as error:
        for problem in error.problems:
            click.echo(f"line {problem.line}, column {problem.column}: {problem.reason}", err=True)
        problems = counted(len(error.problems), "problem", "problems")
        fail(f"nothing imported: {problems} in {file.name}")
    try:
        db.session.commit()
    except Exception:
        discard(cases)
        raise
    click.echo(f"Imported {counted(len(cases), 'case', 'cases')} into {group.name}.")
