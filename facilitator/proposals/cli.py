"""``facilitator meetings remind-call``: remind members of a call for cases before its deadline."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from facilitator import mail
from facilitator.cli_output import fail
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
    if not current_app.config["SERVER_NAME"]:
        fail("links in e-mail need FACILITATOR_SERVER_NAME (and FACILITATOR_PREFERRED_URL_SCHEME)")
    selection = reminders.select_reminders(days)
    if dry_run:
        drafts = reminders.pending(selection)
        for message in mail.preview(drafts):
            click.echo(f"To: {message['To']}\nSubject: {message['Subject']}\n")
            click.echo(message.get_content())
        outcome = reminders.Outcome(
            messages=len(drafts), calls={draft.call.id for draft in drafts if draft.call}
        )
        click.echo(outcome.summary(dry_run=True))
        return
    outcome = reminders.send_reminders(selection)
    click.echo(outcome.summary())
    if outcome.messages and not current_app.config["MAIL_SERVER"]:
        click.echo(
            _(
                "No mail server is set (FACILITATOR_MAIL_SERVER): "
                "the messages went to the application log."
            )
        )
    if outcome.failure:
        fail(f"stopped early: {outcome.failure}")
