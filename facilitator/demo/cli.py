"""``facilitator seed-demo``."""

import click
from flask import current_app
from flask.cli import with_appcontext

from facilitator.cli_output import echo_table, fail
from facilitator.config import is_production
from facilitator.demo.seed import (
    DEFAULT_PASSWORD,
    DEMO_TOTP_SECRET,
    DEMO_USERS,
    database_is_empty,
    demo_region,
    seed_demo,
)
from facilitator.exceptions import ServiceError
from facilitator.extensions import db


@click.command("seed-demo")
@click.option(
    "--password",
    default=None,
    help="Password for every demo account (e.g. for a training session).",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Only seed when the database has no users yet (used by `make run`).",
)
@with_appcontext
def seed_demo_command(password, if_empty):
    """Create the fictional demo region with users for every role, and print the logins."""
    if is_production(current_app):
        fail("refusing to seed demo data in production (FACILITATOR_ENV=production)")
    if if_empty and not database_is_empty():
        if demo_region() is None:
            click.echo("Database already holds accounts; no demo data added.")
            return
        created = False
    else:
        try:
            created = seed_demo(password)
        except ServiceError as error:
            fail(error.message)
        db.session.commit()
    if created:
        click.echo("Demo region created.")
    shown = password or (DEFAULT_PASSWORD if created else f"{DEFAULT_PASSWORD}, unless changed")
    click.echo(f"Demo logins (password: {shown}; two-factor secret: {DEMO_TOTP_SECRET}):")
    echo_table(
        ("email", "role", "organisation"),
        ((login.email, login.role.value, login.organisation) for login in DEMO_USERS),
    )
