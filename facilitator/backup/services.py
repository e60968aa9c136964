"""Back up and restore the data database and the key store together (SECURITY.md R4).

A restore never brings back an identity erased after the backup was made: every erasure left
a tombstone in the key store (facilitator.privacy.keystore), and the restore reads them from
the live key store before overwriting it, adds those of a file the operator gives, and erases
again every case whose tombstone is newer than the backup: its data key, identity row and blind
indexes. On SQLite that happens on the checked copies before they go live, so no erased key is
ever live again; PostgreSQL restores in place and erases again right after.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from tempfile import TemporaryDirectory

from flask import current_app
from sqlalchemy import Engine, select, text

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.backup.archive import Manifest, Part, open_archive, sha256_of, write_archive
from facilitator.backup.parts import BackupError, count_rows, part_for
from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.privacy.identity import erase_identity_rows
from facilitator.privacy.keystore import KeyStore, Tombstone, keystore
from facilitator.privacy.tombstones import write_tombstones


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    #: The erasures made after the backup, done again on what was restored.
    reapplied: list[Tombstone]
    #: Every tombstone known before the restore, kept in the instance folder.
    kept_tombstones: Path


def app_version() -> str:
    try:
        return metadata.version("casustafel")
    except metadata.PackageNotFoundError:
        return "unknown"


def _targets() -> dict:
    return {"data": part_for(db.engine), "keystore": part_for(keystore().engine)}


def create_backup(output: Path) -> Manifest:
    """Write a backup of both databases to ``output`` (a new file) and audit it."""
    if output.exists():
        raise BackupError(f"{output} exists already: choose a new name")
    created_at = utcnow()
    revision = db.session.scalar(text("SELECT version_num FROM alembic_version")) or ""
    with TemporaryDirectory(prefix="casustafel-backup-") as work:
        parts = {}
        for name, source in _targets().items():
            file = Path(work) / f"{name}{source.suffix}"
            dumped = source.dump(file)
            parts[name] = Part(
                file=file.name,
                dialect=dumped.dialect,
                sha256=sha256_of(file),
                size=file.stat().st_size,
                tables=dumped.tables,
            )
        manifest = Manifest(
            created_at=created_at,
            app_version=app_version(),
            alembic_revision=revision,
            parts=parts,
        )
        write_archive(output, manifest, Path(work))
    record(
        "backup_created",
        action=AuditAction.EXECUTE,
        object_type="backup",
        object_id=sha256_of(output)[:16],
        reason=f"backup of {created_at.isoformat()} ({output.name})",
    )
    return manifest


def restore_backup(archive: Path, given: list[Tombstone]) -> RestoreReport:
    """Replace both databases by the backup's, erase again what was erased since, and audit.

    Refuses an archive whose manifest or hashes do not match, a backup of another kind of
    database, and a copy whose rows per table differ from the manifest.
    """
    targets = _targets()
    with TemporaryDirectory(prefix="casustafel-restore-") as work:
        manifest = open_archive(archive, Path(work))
        for name, target in targets.items():
            if manifest.parts[name].dialect != target.dialect:
                raise BackupError(
                    f"the backup's {name} is {manifest.parts[name].dialect}, "
                    f"this installation's is {target.dialect}"
                )
        known = sorted(set(keystore().tombstones()) | set(given))
        kept = Path(current_app.instance_path) / f"tombstones-{utcnow():%Y%m%dT%H%M%S%f}.json"
        write_tombstones(kept, known)
        erasures = [tombstone for tombstone in known if tombstone.erased_at >= manifest.created_at]
        db.session.remove()
        keystore().dispose()
        for name, target in targets.items():
            dump = Path(work) / manifest.parts[name].file
            staged = target.stage(dump)
            try:
                _check_counts(name, staged, manifest.parts[name])
                _erase_again(name, staged, erasures)
            finally:
                if staged is not target.engine:
                    staged.dispose()
        for name, target in targets.items():
            target.install(Path(work) / manifest.parts[name].file)
    keystore().dispose()
    _audit_restore(archive, manifest, erasures)
    return RestoreReport(manifest, erasures, kept)


def _check_counts(name: str, staged: Engine, part: Part) -> None:
    with staged.connect() as connection:
        found = count_rows(connection)
    if found != part.tables:
        tables = sorted(set(found) | set(part.tables))
        differ = ", ".join(t for t in tables if found.get(t) != part.tables.get(t))
        raise BackupError(f"the {name} part's rows differ from the manifest in: {differ}")


def _erase_again(name: str, staged: Engine, erasures: list[Tombstone]) -> None:
    if name == "keystore":
        KeyStore(staged).bury(erasures)
    else:
        with staged.begin() as connection:
            erase_identity_rows(connection, {tombstone.case_id for tombstone in erasures})


def _audit_restore(archive: Path, manifest: Manifest, erasures: list[Tombstone]) -> None:
    record(
        "backup_restored",
        action=AuditAction.EXECUTE,
        object_type="backup",
        object_id=sha256_of(archive)[:16],
        reason=f"backup of {manifest.created_at.isoformat()} ({archive.name})",
    )
    case_ids = {tombstone.case_id for tombstone in erasures}
    pseudonyms = dict(
        db.session.execute(select(Case.id, Case.pseudonym).where(Case.id.in_(case_ids))).all()
    )
    for tombstone in erasures:
        record(
            "tombstone_reapplied",
            action=AuditAction.DELETE,
            object_type="case_identity",
            object_id=tombstone.case_id,
            case_pseudonym=pseudonyms.get(tombstone.case_id, ""),
            reason=f"erased at {tombstone.erased_at.isoformat()}, after the backup",
        )
