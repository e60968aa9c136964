"""``facilitator meetings remind-call``: remind members of a call for cases before its deadline."""

import click
from flask.cli import with_appcontext

from facilitator import mail_cli
from facilitator.proposals import reminders


@click.command("remind-call")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Print the messages; send and claim nothing.")
@click.option(
    "--days",
    type=click.IntRange(0, reminders.MAX_DAYS),
    default=reminders.DEFAULT_DAYS,
    show_default=True,
    help="Remind of calls whose deadline lies within this many days (today included).",
)
def remind_call(dry_run, days):
    """E-mail the members who have proposed nothing yet for a call for cases whose deadline
    lies within DAYS days; once per member and call. Run daily."""
    mail_cli.require_links()
    selection = reminders.select_reminders(days)
    if dry_run:
        drafts = reminders.pending(selection)
        outcome = reminders.Outcome(
            messages=len(drafts), calls={draft.call.id for draft in drafts if draft.call}
        )
        mail_cli.print_dry_run(drafts, outcome)
        return
    mail_cli.report(reminders.send_reminders(selection))
