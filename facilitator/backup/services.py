"""Back up and restore the data database and the key store together (SECURITY.md R4).

A restore never brings back an identity erased after the backup was made: every erasure left
a tombstone in the key store (facilitator.privacy.keystore), and the restore reads them from
the live key store before overwriting it and adds those of a file the operator gives. It
erases again every case whose erasure the backup's own key store does not know (the backup's
copy is covered by the hashes; the manifest's ``created_at`` is not, so it decides nothing):
its data key, identity row and blind indexes. It also erases the identity rows and blind
indexes of every case whose data key is not in the restored key store: an erasure shreds the
key at once and deletes the rows with its request, so a backup taken in between holds rows
that no key reads. On SQLite that happens on the checked copies before they go live, so no
erased key is ever live again; PostgreSQL restores in place and erases again right after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
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
from facilitator.privacy.models import CaseIdentity, IdentityBlindIndex
from facilitator.privacy.tombstones import write_tombstones

_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    #: The erasures the backup did not know of, done again on what was restored.
    reapplied: list[Tombstone]
    #: Cases whose identity rows the backup held without a data key, erased on restore.
    orphans: list[int]
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
        db.session.remove()
        keystore().dispose()
        staged: dict[str, Engine] = {}
        try:
            for name, target in targets.items():
                staged[name] = target.stage(Path(work) / manifest.parts[name].file)
                _check_counts(name, staged[name], manifest.parts[name])
            erasures, orphans = _erase_again(staged["keystore"], staged["data"], known)
        finally:
            for name, engine in staged.items():
                if engine is not targets[name].engine:
                    engine.dispose()
        for name, target in targets.items():
            target.install(Path(work) / manifest.parts[name].file)
    keystore().dispose()
    _audit_restore(archive, manifest, erasures, orphans)
    return RestoreReport(manifest, erasures, orphans, kept)


def _check_counts(name: str, staged: Engine, part: Part) -> None:
    with staged.connect() as connection:
        found = count_rows(connection)
    if found != part.tables:
        tables = sorted(set(found) | set(part.tables))
        differ = ", ".join(t for t in tables if found.get(t) != part.tables.get(t))
        raise BackupError(f"the {name} part's rows differ from the manifest in: {differ}")


def missing_erasures(backed_up: list[Tombstone], known: list[Tombstone]) -> list[Tombstone]:
    """The known erasures the backup has not seen: no tombstone of the case as late in it."""
    latest: dict[int, datetime] = {}
    for tombstone in backed_up:
        latest[tombstone.case_id] = max(tombstone.erased_at, latest.get(tombstone.case_id, _NEVER))
    return [t for t in known if latest.get(t.case_id, _NEVER) < t.erased_at]


def _erase_again(
    staged_keys: Engine, staged_data: Engine, known: list[Tombstone]
) -> tuple[list[Tombstone], list[int]]:
    """Repeat on the staged copies the erasures the backup misses, then erase the identity
    rows no data key reads any more; return both (the orphans as case ids)."""
    store = KeyStore(staged_keys)
    erasures = missing_erasures(store.tombstones(), known)
    store.bury(erasures)
    with_key = set(store.case_ids())
    erased = {tombstone.case_id for tombstone in erasures}
    with staged_data.begin() as connection:
        holding = set(connection.scalars(select(CaseIdentity.case_id))) | set(
            connection.scalars(select(IdentityBlindIndex.case_id))
        )
        orphans = sorted(holding - with_key - erased)
        erase_identity_rows(connection, erased | set(orphans))
    return erasures, orphans


def _audit_restore(
    archive: Path, manifest: Manifest, erasures: list[Tombstone], orphans: list[int]
) -> None:
    record(
        "backup_restored",
        action=AuditAction.EXECUTE,
        object_type="backup",
        object_id=sha256_of(archive)[:16],
        reason=f"backup of {manifest.created_at.isoformat()} ({archive.name})",
    )
    case_ids = {tombstone.case_id for tombstone in erasures} | set(orphans)
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
            reason=f"erased at {tombstone.erased_at.isoformat()}, not in the backup",
        )
    for case_id in orphans:
        record(
            "orphan_identity_erased",
            action=AuditAction.DELETE,
            object_type="case_identity",
            object_id=case_id,
            case_pseudonym=pseudonyms.get(case_id, ""),
            reason="identity rows in the backup without a data key",
        )
