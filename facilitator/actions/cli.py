"""``facilitator actions ...``."""

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from facilitator import mail
from facilitator.actions import reminders
from facilitator.cli_output import fail
from facilitator.localtime import DUE_SOON_DAYS

actions_cli = AppGroup("actions", help="Action items of the case groups.")


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
    if not current_app.config["SERVER_NAME"]:
        fail("links in e-mail need FACILITATOR_SERVER_NAME (and FACILITATOR_PREFERRED_URL_SCHEME)")
    selection = reminders.select_reminders(days)
    if dry_run:
        drafts = reminders.pending(selection)
        for message in mail.preview(drafts):
            click.echo(f"To: {message['To']}\nSubject: {message['Subject']}\n")
            click.echo(message.get_content())
        outcome = reminders.Outcome()
        for draft in drafts:
            outcome.add(draft)
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
