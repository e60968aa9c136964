"""SECURITY.md R4, found in review: a backup taken while an erasure commits, a manifest whose
created_at was moved, and a partial file left in the backup folder."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime

from sqlalchemy import select

from facilitator.audit.models import AuditEvent
from facilitator.backup.services import create_backup, missing_erasures
from facilitator.cases.models import Case
from facilitator.extensions import db
from facilitator.privacy.identity import read_identity
from facilitator.privacy.keystore import Tombstone, keystore
from facilitator.privacy.models import CaseIdentity, IdentityBlindIndex
from facilitator.privacy.services import withdraw_consent
from facilitator.users.models import Role
from tests.test_backup import _rewrite


def _identity_rows(case_id: int) -> tuple[int, int]:
    db.session.expire_all()
    identities = db.session.scalars(
        select(CaseIdentity).where(CaseIdentity.case_id == case_id)
    ).all()
    indexes = db.session.scalars(
        select(IdentityBlindIndex).where(IdentityBlindIndex.case_id == case_id)
    ).all()
    return len(identities), len(indexes)


def test_a_backup_taken_while_an_erasure_commits_does_not_bring_the_identity_back(
    app, world, runner, tmp_path
):
    """erase_identity shreds the key (tombstone at T1) and deletes the identity row and blind
    indexes in the request's transaction, committed later (T2). A backup that starts between
    T1 and T2 (created_at > T1) copies the data database before T2: it holds the identity row
    and blind indexes. a restore that re-applied only tombstones >= created_at brought them
    back: the blind indexes (HMAC of the BSN) again match a re-registration of the client."""
    case = world.consent_case
    case_id = case.id
    assert _identity_rows(case_id)[0] == 1
    withdraw_consent(case, actor=world.users[Role.DEELNEMER])  # shred at T1, rows not committed
    time.sleep(0.01)  # the nightly sweep erases many cases before its single commit
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive)  # created_at > T1, the data part read before T2
    db.session.commit()  # T2: the erasure (and the backup's audit row) committed
    assert _identity_rows(case_id) == (0, 0)
    db.session.remove()

    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert case_id not in keystore().case_ids()
    assert _identity_rows(case_id) == (0, 0), "the erased identity's rows came back"
    events = db.session.execute(
        select(AuditEvent.event_type, AuditEvent.object_id, AuditEvent.case_pseudonym)
        .where(AuditEvent.event_type.in_(["tombstone_reapplied", "orphan_identity_erased"]))
        .order_by(AuditEvent.id)
    ).all()
    pseudonym = db.session.get(Case, case_id).pseudonym
    assert [tuple(e) for e in events] == [("orphan_identity_erased", str(case_id), pseudonym)]
    assert "Erased again: 0 identities" in result.output
    assert "Identity rows without a data key erased: 1 identity" in result.output


def test_a_backup_file_is_owner_only_even_when_a_partial_file_was_left_behind(app, world, tmp_path):
    """write_archive opened OUTPUT.partial with O_CREAT|O_TRUNC (no O_EXCL, follows links):
    the 0o600 applied only to a new file. A .partial left (a killed backup run, another user
    in a shared backup folder) kept its mode, and the finished backup was readable by all."""
    archive = tmp_path / "backup.tar.gz"
    partial = tmp_path / "backup.tar.gz.partial"
    partial.write_bytes(b"")
    os.chmod(partial, 0o644)
    create_backup(archive)
    db.session.commit()
    assert archive.stat().st_mode & 0o777 == 0o600, oct(archive.stat().st_mode & 0o777)


def test_a_restore_does_not_trust_an_unauthenticated_created_at_to_skip_erasures(
    app, world, runner, tmp_path
):
    """The manifest's hashes cover the parts, but nothing covers the manifest: whoever can
    write to the backup store moved created_at into the future, and restore re-applied no
    tombstone: an identity erased after the backup comes back readable."""
    archive = tmp_path / "backup.tar.gz"
    case_id = world.consent_case.id
    assert runner.invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    withdraw_consent(world.consent_case, actor=world.users[Role.DEELNEMER])
    db.session.commit()

    def future(name: str, content: bytes) -> bytes:
        if name == "manifest.json":
            manifest = json.loads(content)
            manifest["created_at"] = "2099-01-01T00:00:00+00:00"
            return json.dumps(manifest).encode()
        return content

    _rewrite(archive, future)
    db.session.remove()
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert read_identity(db.session.get(Case, case_id)) is None, "erased identity readable"


def test_a_backup_never_writes_through_a_link_left_in_the_backup_folder(app, world, tmp_path):
    archive, victim = tmp_path / "backup.tar.gz", tmp_path / "victim"
    victim.write_bytes(b"kept")
    os.chmod(victim, 0o644)
    (tmp_path / "backup.tar.gz.partial").symlink_to(victim)
    create_backup(archive)
    db.session.commit()
    assert victim.read_bytes() == b"kept"
    assert victim.stat().st_mode & 0o777 == 0o644
    assert not archive.is_symlink() and archive.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "backup.tar.gz",
        "backup.tar.gz.partial",
        "victim",
    ]


def test_the_erasures_to_repeat_are_those_the_backups_key_store_does_not_hold():
    def at(day: int) -> datetime:
        return datetime(2026, 1, day, tzinfo=UTC)

    backed_up = [Tombstone(at(2), 1), Tombstone(at(3), 2)]
    known = [
        Tombstone(at(2), 1),  # in the backup: done already
        Tombstone(at(1), 3),  # older than the backup, but not in it (a file from elsewhere)
        Tombstone(at(3), 2),  # in the backup
        Tombstone(at(4), 2),  # the same case erased again after the backup
    ]
    assert missing_erasures(backed_up, known) == [Tombstone(at(1), 3), Tombstone(at(4), 2)]
    assert missing_erasures([], known) == known
