"""``facilitator regions ...`` and ``facilitator organisations ...``."""

import click
from flask.cli import AppGroup

from facilitator.cli_output import echo_table, fail
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.regions import services
from facilitator.regions.models import Domain, OrganisationKind

regions_cli = AppGroup("regions", help="Manage regions (arbeidsmarktregio's).")
organisations_cli = AppGroup("organisations", help="Manage participating organisations.")


@regions_cli.command("create")
@click.argument("name")
@click.option("--description", default="")
def create_region(name, description):
    """Create a region."""
    try:
        region = services.create_region(name=name, description=description, actor=None)
    except ServiceError as error:
        fail(error.message)
    db.session.commit()
    click.echo(f"Created region {region.name}.")


@regions_cli.command("list")
def list_regions():
    """Print every region with its number of organisations, tab-separated."""
    rows = db.session.execute(services.regions_with_counts())
    echo_table(("name", "organisations"), ((region.name, count) for region, count in rows))


@organisations_cli.command("create")
@click.option("--region", required=True, help="Name of the region.")
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice([kind.value for kind in OrganisationKind]))
@click.option(
    "--domain",
    type=click.Choice([domain.value for domain in Domain]),
    help="Defaults to the usual domain of the kind.",
)
def create_organisation(region, name, kind, domain):
    """Create an organisation in a region."""
    region_obj = services.find_region(region)
    if region_obj is None:
        fail(f"no region named {region!r}")
    try:
        org = services.create_organisation(
            region_obj, name=name, kind=kind, domain=domain, actor=None
        )
    except ServiceError as error:
        fail(error.message)
    db.session.commit()
    click.echo(f"Created organisation {org.name} in {region_obj.name}.")


@organisations_cli.command("list")
def list_organisations():
    """Print every organisation, tab-separated, with a header row."""
    rows = db.session.scalars(services.organisations_in())
    echo_table(
        ("name", "kind", "domain", "region"),
        ((org.name, org.kind.value, org.domain.value, org.region.name) for org in rows),
    )
