"""``facilitator keys ...`` and ``facilitator privacy ...``."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from facilitator.cli_output import counted
from facilitator.extensions import db
from facilitator.privacy import guard
from facilitator.privacy.crypto import encode_key, master_key_ring, new_data_key
from facilitator.privacy.keystore import keystore
from facilitator.privacy.scope import group_identities
from facilitator.privacy.services import sweep
from facilitator.privacy.tombstones import export_tombstones

keys_cli = AppGroup("keys", help="Master keys and the data-key store.")
privacy_cli = AppGroup("privacy", help="Consent and identity housekeeping.")
tombstones_cli = AppGroup("tombstones", help="The record of every identity erasure.")
privacy_cli.add_command(tombstones_cli)


@keys_cli.command("generate")
def generate_key():
    """Print a new random master key (base64) for FACILITATOR_MASTER_KEYS."""
    click.echo(encode_key(new_data_key()))


@keys_cli.command("rotate")
def rotate():
    """Re-wrap every data key under the current (first) master key.

    Put the new key first in FACILITATOR_MASTER_KEYS, keep the old one after it, run this,
    then remove the old key.
    """
    ring = master_key_ring()
    rewrapped, total = keystore().rewrap_all(ring)
    click.echo(
        f"Re-wrapped {rewrapped} of {counted(total, 'data key', 'data keys')} "
        f"under master key {ring.current_id}."
    )
    if len(ring.keys) > 1:
        click.echo("Every data key now uses the first master key; the others can be removed.")


@privacy_cli.command("sweep")
def sweep_command():
    """Erase identities whose consent ended or whose case was closed past retention.

    Safe to run every night from cron; running it twice changes nothing the second time.
    """
    report = sweep()
    db.session.commit()
    days = current_app.config["PRIVACY_RETENTION_DAYS"]
    click.echo(
        f"Consent ended: identity erased for {counted(len(report.expired), 'case', 'cases')}"
        + (f": {', '.join(report.expired)}" if report.expired else ".")
    )
    click.echo(
        f"Closed more than {counted(days, 'day', 'days')} ago: identity erased for "
        f"{counted(len(report.retention), 'case', 'cases')}"
        + (f": {', '.join(report.retention)}" if report.retention else ".")
    )


@privacy_cli.command("scan")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--group", "group_name", default="", help="Also look for this group's clients.")
def scan_command(path: str, group_name: str):
    """Screen a UTF-8 text file with the personal-data guard before it leaves the building.

    Prints one line per hit (kind, line, column), never the text; exits 1 on any hit.
    """
    from facilitator.groups.services import find_group

    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{path}: not UTF-8 text (byte {error.start})") from None
    values: list[str] = []
    if group_name:
        group = find_group(group_name)
        if group is None:
            raise click.ClickException(f"no single group named {group_name!r}")
        values = group_identities(group, reason=f"privacy scan of {path}"[:255])
    hits = guard.screen_file_text(text, values)
    click.echo("kind\tline\tcolumn")
    for finding in hits:
        line = text.count("\n", 0, finding.start) + 1
        column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
        click.echo(f"{finding.kind}\t{line}\t{column}")
    if hits:
        click.echo(
            f"{counted(len(hits), 'hit', 'hits')}: remove "
            f"{'it' if len(hits) == 1 else 'them'} before the text leaves.",
            err=True,
        )
        raise SystemExit(1)
    click.echo("No personal data found.", err=True)


@tombstones_cli.command("export")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_tombstones_command(output: Path):
    """Write every erasure (case id and time, no data) to a file to keep apart from backups.

    Give it to `facilitator restore --tombstones` when the key store itself was lost.
    """
    count = export_tombstones(output)
    db.session.commit()
    click.echo(f"{counted(count, 'tombstone', 'tombstones')} written to {output}.")
