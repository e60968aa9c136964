"""``facilitator users ...``: create and look after accounts from the command line."""

import click
from flask import current_app
from flask.cli import AppGroup

from facilitator.auth import totp, two_factor
from facilitator.auth.services import find_user_by_email, unlock
from facilitator.cli_output import echo_table, fail
from facilitator.config import is_production
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.regions.services import find_organisation, find_region
from facilitator.users import services
from facilitator.users.models import Role, User

users_cli = AppGroup("users", help="Manage user accounts.")


def _user_or_fail(email: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        fail(f"no account with e-mail {email}")
    return user


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--region", required=True, help="Name of the region.")
@click.option("--organisation", required=True, help="Name of the organisation in that region.")
@click.option(
    "--role",
    required=True,
    type=click.Choice([role.value for role in Role]),
    help="beleidsgroeplid: a manager in the region's beleidsgroep, read-only: the region's "
    "dashboard and logbook editions, never a group, a case or a meeting.",
)
@click.option("--language", default="nl", type=click.Choice(services.LANGUAGES))
@click.password_option(help="Prompted for when not given.")
def create_user(email, name, region, organisation, role, language, password):
    """Create an account; the user chooses their own password at the first login."""
    region_obj = find_region(region)
    if region_obj is None:
        fail(f"no region named {region!r}")
    org = find_organisation(region_obj, organisation)
    if org is None:
        fail(f"no organisation named {organisation!r} in {region_obj.name}")
    try:
        user = services.create_user(
            name=name,
            email=email,
            organisation=org,
            role=role,
            password=password,
            language=language,
            actor=None,
        )
    except ServiceError as error:
        fail(error.message)
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}, {org.name}).")


@users_cli.command("list")
def list_users():
    """Print every account, tab-separated, with a header row."""
    rows = db.session.scalars(services.users_query())
    echo_table(
        ("email", "name", "role", "organisation", "region", "active"),
        (
            (
                u.email,
                u.name,
                u.role.value,
                u.organisation.name,
                u.region.name,
                "yes" if u.active else "no",
            )
            for u in rows
        ),
    )


@users_cli.command("set-password")
@click.argument("email")
@click.password_option(help="Prompted for when not given.")
def set_password(email, password):
    """Set a temporary password (the user must change it) and end the user's sessions."""
    user = _user_or_fail(email)
    try:
        services.reset_password(user, password, actor=None)
    except ServiceError as error:
        fail(error.message)
    db.session.commit()
    click.echo(f"Password of {user.email} set; it must be changed at the next login.")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email):
    """Block an account and end all its sessions."""
    user = _user_or_fail(email)
    try:
        services.deactivate_user(user, actor=None)
    except ServiceError as error:
        fail(error.message)
    db.session.commit()
    click.echo(f"Deactivated {user.email}.")


@users_cli.command("activate")
@click.argument("email")
def activate(email):
    """Allow a deactivated account to log in again."""
    user = _user_or_fail(email)
    services.reactivate_user(user, actor=None)
    db.session.commit()
    click.echo(f"Activated {user.email}.")


@users_cli.command("unlock")
@click.argument("email")
def unlock_user(email):
    """Lift a lockout after failed logins."""
    user = _user_or_fail(email)
    unlock(user, actor=None)
    db.session.commit()
    click.echo(f"Unlocked {user.email}.")


@users_cli.command("reset-two-factor")
@click.argument("email")
def reset_two_factor(email):
    """Remove an account's two-factor login (a lost phone) and end its sessions."""
    user = _user_or_fail(email)
    two_factor.reset_two_factor(user, actor=None)
    db.session.commit()
    click.echo(f"Two-factor login of {user.email} removed; it enrols again at the next login.")


@users_cli.command("totp-code")
@click.argument("email")
def totp_code(email):
    """Print the current two-factor code of an account: development only (the demo)."""
    if is_production(current_app):
        fail("refusing to print a two-factor code in production (FACILITATOR_ENV=production)")
    secret = totp.read_secret(_user_or_fail(email))
    if secret is None:
        fail(f"{email} has no two-factor login")
    click.echo(totp.current_code(secret))
