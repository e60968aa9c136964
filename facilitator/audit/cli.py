"""``facilitator audit ...``: check the chain, note its head, purge rows past retention."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from facilitator.audit import chain, retention
from facilitator.audit.overview_cli import overview_command
from facilitator.cli_output import fail
from facilitator.extensions import db
from facilitator.localtime import local_today

audit_cli = AppGroup(
    "audit",
    help="The audit log (NEN 7513): verify its chain, print its head, purge; a client's overview.",
)
audit_cli.add_command(overview_command)


def _head_option(value: str | None) -> tuple[int, str] | None:
    if value is None:
        return None
    row_id, separator, chain_value = value.partition(":")
    if not separator or not row_id.isdigit() or len(chain_value) != 64:
        raise click.BadParameter("expected ID:VALUE, as `facilitator audit head` prints it")
    return int(row_id), chain_value.lower()


@audit_cli.command("verify")
@click.option("--head", "head", help="ID:VALUE recorded earlier by `audit head`.")
def verify_command(head: str | None) -> None:
    """Recompute the chain; exit 1 naming the first broken or missing row."""
    recorded = _head_option(head)
    with db.engine.connect() as connection:
        verdict = chain.verify(connection, chain.audit_key(), head=recorded)
    if not verdict.holds:
        fail(f"audit chain broken at row {verdict.broken_id}: {verdict.problem}")
    click.echo(f"audit chain holds: {verdict.checked} rows checked")


@audit_cli.command("head")
def head_command() -> None:
    """Print the latest row's id and chain value, to record outside this server."""
    with db.engine.connect() as connection:
        latest = chain.head(connection)
    if latest is None:
        fail("the audit log is empty")
    click.echo(f"{latest[0]}:{latest[1]}")


@audit_cli.command("purge")
@click.option(
    "--before",
    "cut",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Remove rows older than this date (at least five years ago).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge_command(cut, yes: bool) -> None:
    """Remove audit rows older than the date; rows younger than five years are refused."""
    today = local_today()
    if cut.date() > retention.earliest_allowed_cut(today):
        fail(
            f"rows younger than {retention.RETENTION_YEARS} years are kept: use "
            f"--before {retention.earliest_allowed_cut(today).isoformat()} or earlier"
        )
    if not yes:
        click.confirm(f"Remove every audit row older than {cut.date().isoformat()}?", abort=True)
    try:
        result = retention.purge_before(cut.date(), today=today)
    except retention.PurgeRefused as error:
        fail(error)
    click.echo(f"{result.removed} audit rows removed")
