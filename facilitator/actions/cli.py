"""``facilitator actions list``."""

import click
from flask.cli import AppGroup

from facilitator.actions.models import ActionStatus
from facilitator.actions.queries import listing
from facilitator.cli_output import echo_table, fail
from facilitator.extensions import db
from facilitator.groups.services import find_group

actions_cli = AppGroup("actions", help="Action items of the case groups.")


@actions_cli.command("list")
@click.option("--group", "group_name", help="Only the actions of this group.")
@click.option("--owner", "owner_email", help="Only the actions of this owner (user or contact).")
@click.option(
    "--status",
    type=click.Choice([s.value for s in ActionStatus]),
    help="Only the actions with this status.",
)
def list_actions(group_name, owner_email, status):
    """Print actions, tab-separated: id, group, case, description, owner, organisation, due,
    status. The case is its pseudonym; the owner their e-mail address."""
    group = None
    if group_name:
        group = find_group(group_name)
        if group is None:
            fail(f"no single group named {group_name!r}")
    query = listing(group, owner_email or "", ActionStatus(status) if status else None)
    echo_table(
        ("id", "group", "case", "description", "owner", "organisation", "due", "status"),
        (
            (
                a.id,
                a.group.name,
                a.case.pseudonym if a.case is not None else "",
                a.description,
                a.owner.email,
                a.organisation.name,
                a.due_on.isoformat(),
                a.status.value,
            )
            for a in db.session.scalars(query)
        ),
    )
