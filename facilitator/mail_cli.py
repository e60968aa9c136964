"""What every mail command of the CLI does around its own selection (``actions remind``,
``meetings send-agenda``, ``meetings remind-call``): refuse without a server name for the
links, print a dry run's messages, and report a run's outcome."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import click
from flask import current_app
from flask_babel import gettext as _

from facilitator import mail
from facilitator.cli_output import fail


class Outcome(Protocol):
    messages: int
    failure: str

    def summary(self, *, dry_run: bool = False) -> str: ...


def require_links() -> None:
    """Stop unless the links in a message can be made absolute."""
    if not current_app.config["SERVER_NAME"]:
        fail("links in e-mail need FACILITATOR_SERVER_NAME (and FACILITATOR_PREFERRED_URL_SCHEME)")


def print_dry_run(drafts: Iterable[mail.Draft], outcome: Outcome) -> None:
    """Print the messages a run would send, and what they would count as; nothing is claimed."""
    for message in mail.preview(drafts):
        click.echo(f"To: {message['To']}\nSubject: {message['Subject']}\n")
        click.echo(message.get_content())
    click.echo(outcome.summary(dry_run=True))


def report(outcome: Outcome) -> None:
    """Print what a run sent; exit with status 1 when it stopped early."""
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
