"""``facilitator actions ...``: list the action items, remind their owners."""

import click
from flask.cli import AppGroup

from facilitator import mail_cli
from facilitator.actions import reminders
from facilitator.actions.models import ActionStatus
from facilitator.actions.queries import listing
from facilitator.cli_output import echo_table, fail
from facilitator.extensions import db
from facilitator.groups.services import find_group
from facilitator.localtime import DUE_SOON_DAYS

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


@actions_cli.command("remind")
@click.option("--dry-run", is_flag=True, help="Print the messages; send and claim nothing.")
@click.option(
    "--days",
    type=click.IntRange(0, reminders.MAX_DAYS),
    default=DUE_SOON_DAYS,
    show_default=True,
    help="Remind owners of actions due within this many days (today included).",
)
def remind(dry_run, days):
    """E-mail each owner their open actions due within DAYS days or overdue, and each
    procesbegeleider the overdue actions of their groups; once a day per action. Run daily."""
    mail_cli.require_links()
    selection = reminders.select_reminders(days)
    if dry_run:
        drafts = reminders.pending(selection)
        outcome = reminders.Outcome()
        for draft in drafts:
            outcome.add(draft)
        mail_cli.print_dry_run(drafts, outcome)
        return
    mail_cli.report(reminders.send_reminders(selection))
