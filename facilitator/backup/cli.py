"""``facilitator backup`` and ``facilitator restore``."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.backup.services import create_backup, restore_backup
from facilitator.cli_output import counted, fail
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.privacy.tombstones import read_tombstones


@click.command("backup")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(output: Path):
    """Back up the data database and the key store into one new archive file.

    SQLite is copied with its online backup API, PostgreSQL with pg_dump: the server may keep
    running. The archive holds the wrapped data keys; the master key is not in it.
    """
    try:
        manifest = create_backup(output)
    except ServiceError as error:
        fail(error.message)
    db.session.commit()
    for name, part in manifest.parts.items():
        click.echo(
            f"{name}: {part.dialect}, {counted(len(part.tables), 'table', 'tables')}, "
            f"{counted(sum(part.tables.values()), 'row', 'rows')}, sha256 {part.sha256}"
        )
    click.echo(f"Backup of {manifest.created_at.isoformat()} written to {output}.")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--tombstones",
    "tombstone_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Erasures exported with `privacy tombstones export`, for a lost key store.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(archive: Path, tombstone_file: Path | None, yes: bool):
    """Replace the data database and the key store with a backup; stop the server first.

    Every identity erased after the backup was made is erased again.
    """
    try:
        given = read_tombstones(tombstone_file) if tombstone_file else []
    except ServiceError as error:
        fail(error.message)
    if not yes:
        click.confirm(
            f"This replaces all data and keys with those of {archive}. Continue?", abort=True
        )
    try:
        report = restore_backup(archive, given)
    except ServiceError as error:
        fail(error.message)
    db.session.commit()
    manifest = report.manifest
    click.echo(
        f"Restored the backup of {manifest.created_at.isoformat()} "
        f"(version {manifest.app_version}, migration {manifest.alembic_revision})."
    )
    click.echo(
        f"Erased again: {counted(len(report.reapplied), 'identity', 'identities')} "
        "erased after the backup."
    )
    click.echo(
        "Identity rows without a data key erased: "
        f"{counted(len(report.orphans), 'identity', 'identities')}."
    )
    click.echo(f"The tombstones known before the restore are kept in {report.kept_tombstones}.")
    click.echo("Run `facilitator db upgrade` if this version has newer migrations.")
