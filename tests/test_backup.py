"""SECURITY.md R4: a backup of both databases, a restore drill, and no erased identity returning.

Runs on the test database of the run: SQLite, or PostgreSQL (pg_dump/pg_restore) when
TEST_DATABASE_URL names one; the key store is SQLite in both.
"""

from __future__ import annotations

import io
import json
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from facilitator.audit.models import AuditEvent
from facilitator.backup.parts import BackupError, PostgresPart, count_rows, libpq_target
from facilitator.cases.models import Case, PrivacyMode
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.privacy.identity import read_identity
from facilitator.privacy.keystore import keystore
from facilitator.privacy.models import CaseIdentity, IdentityBlindIndex
from facilitator.privacy.services import withdraw_consent
from facilitator.users.models import Role
from tests import factories


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as opened:
        return json.loads(opened.extractfile("manifest.json").read())


def _counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return count_rows(connection)


def _blind_indexes(case_id: int) -> int:
    return len(
        db.session.scalars(
            select(IdentityBlindIndex).where(IdentityBlindIndex.case_id == case_id)
        ).all()
    )


def _integrity_ok(engine) -> bool:
    if engine.dialect.name != "sqlite":
        return True  # pg_restore ran in one transaction with --exit-on-error
    with engine.connect() as connection:
        return connection.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]


def _shred(world) -> None:
    withdraw_consent(world.consent_case, actor=world.users[Role.DEELNEMER])
    db.session.commit()


@pytest.fixture
def kept(world):
    """A second case with consent: its identity must come back readable."""
    return factories.make_case(
        world.group,
        world.users[Role.DEELNEMER],
        PrivacyMode.TOESTEMMING,
        identity=factories.OTHER_IDENTITY,
    )


def test_erasing_an_identity_leaves_a_tombstone_with_the_case_and_time_only(app, world):
    before = utcnow()
    _shred(world)
    [tombstone] = keystore().tombstones()
    assert tombstone.case_id == world.consent_case.id
    assert before <= tombstone.erased_at <= utcnow()
    columns = {c["name"] for c in inspect(keystore().engine).get_columns("tombstones")}
    assert columns == {"id", "case_id", "erased_at"}


def test_restore_drill_brings_back_the_backup_but_not_an_identity_shredded_after_it(
    app, world, kept, runner, tmp_path
):
    archive = tmp_path / "casustafel.backup"
    shredded = world.consent_case
    kept_id, pseudonym = kept.id, shredded.pseudonym
    indexes = _blind_indexes(shredded.id)
    assert indexes >= 1
    result = runner.invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    assert archive.stat().st_mode & 0o777 == 0o600
    manifest = _manifest(archive)
    assert manifest["alembic_revision"] and manifest["app_version"]
    assert manifest["parts"]["data"]["tables"]["cases"] == 4
    assert manifest["parts"]["keystore"]["tables"]["data_keys"] == 2
    assert "backup_created" in db.session.scalars(select(AuditEvent.event_type)).all()

    # After the backup: one identity shredded, one case registered.
    _shred(world)
    later = factories.make_case(world.group, world.users[Role.DEELNEMER])
    later_id, shredded_id = later.id, shredded.id
    db.session.remove()
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Erased again: 1 identity erased after the backup." in result.output
    db.session.remove()

    assert _integrity_ok(db.engine) and _integrity_ok(keystore().engine)
    expected = dict(manifest["parts"]["data"]["tables"])
    expected["audit_events"] += 2  # the restore and the erasure done again
    expected["case_identities"] -= 1
    expected["identity_blind_indexes"] -= indexes
    assert _counts(db.engine) == expected
    keys = dict(manifest["parts"]["keystore"]["tables"], data_keys=1)
    keys["tombstones"] += 1
    assert _counts(keystore().engine) == keys

    assert db.session.get(Case, later_id) is None  # the data is the backup's
    assert db.session.get(CaseIdentity, shredded_id) is None
    assert shredded_id not in keystore().case_ids()
    assert [t.case_id for t in keystore().tombstones()] == [shredded_id]
    assert read_identity(db.session.get(Case, kept_id)) == factories.OTHER_IDENTITY
    events = db.session.execute(
        select(AuditEvent.event_type, AuditEvent.case_pseudonym, AuditEvent.object_id)
        .where(AuditEvent.event_type.in_(["backup_restored", "tombstone_reapplied"]))
        .order_by(AuditEvent.id)
    ).all()
    assert [tuple(e) for e in events] == [
        ("backup_restored", "", events[0].object_id),
        ("tombstone_reapplied", pseudonym, str(shredded_id)),
    ]


def test_a_restore_onto_a_lost_key_store_takes_the_tombstones_from_the_operators_file(
    app, world, kept, runner, tmp_path
):
    archive, erasures = tmp_path / "backup.tar.gz", tmp_path / "tombstones.json"
    shredded_id, kept_id = world.consent_case.id, kept.id
    assert runner.invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    _shred(world)
    result = runner.invoke(args=["privacy", "tombstones", "export", "--output", str(erasures)])
    assert result.exit_code == 0, result.output
    assert "1 tombstone written" in result.output
    assert erasures.stat().st_mode & 0o777 == 0o600
    exported = json.loads(erasures.read_text(encoding="utf-8"))
    assert set(exported["tombstones"][0]) == {"case_id", "erased_at"}
    # The key store is lost: a new, empty one on the machine the backup is restored on.
    with keystore().engine.begin() as connection:
        connection.execute(text("DELETE FROM tombstones"))
        connection.execute(text("DELETE FROM data_keys"))
    db.session.remove()

    result = runner.invoke(
        args=["restore", str(archive), "--tombstones", str(erasures)], input="y\n"
    )
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert db.session.get(CaseIdentity, shredded_id) is None
    assert shredded_id not in keystore().case_ids()
    assert read_identity(db.session.get(Case, kept_id)) == factories.OTHER_IDENTITY


def test_an_erasure_older_than_the_backup_is_not_applied_again(app, world, runner, tmp_path):
    _shred(world)  # before the backup: nothing to repeat
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    db.session.remove()
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Erased again: 0 identities" in result.output
    assert len(keystore().tombstones()) == 1


def _rewrite(archive: Path, change) -> None:
    """Write ``archive`` again with ``change(name, content)`` applied to every member."""
    with tarfile.open(archive, "r:gz") as opened:
        members = [(m.name, opened.extractfile(m).read()) for m in opened.getmembers()]
    with tarfile.open(archive, "w:gz") as rewritten:
        for name, content in members:
            content = change(name, content)
            info = tarfile.TarInfo(name)
            info.size = len(content)
            rewritten.addfile(info, io.BytesIO(content))


def _damage_part(name: str, content: bytes) -> bytes:
    if name.startswith("data."):  # one byte flipped: always a change, whatever it held
        middle = len(content) // 2
        return content[:middle] + bytes([content[middle] ^ 0xFF]) + content[middle + 1 :]
    return content


def _damage_manifest(name: str, content: bytes) -> bytes:
    if name == "manifest.json":
        manifest = json.loads(content)
        manifest["created_at"] = "2026-01-01T00:00:00"  # no time zone
        return json.dumps(manifest).encode()
    return content


def _escape_the_folder(name: str, content: bytes) -> bytes:
    if name == "manifest.json":
        manifest = json.loads(content)
        manifest["parts"]["keystore"]["file"] = "../keystore.sqlite3"
        return json.dumps(manifest).encode()
    return content


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_damage_part, "the data part does not match its SHA-256 in the manifest"),
        (_damage_manifest, "the manifest is not valid"),
        (_escape_the_folder, "the manifest names an odd file for keystore"),
    ],
)
def test_a_restore_refuses_an_archive_whose_hashes_or_manifest_do_not_match(
    app, world, runner, tmp_path, damage, message
):
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    _rewrite(archive, damage)
    later = factories.make_case(world.group, world.users[Role.DEELNEMER]).id
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 1
    assert message in result.output
    db.session.remove()
    assert db.session.get(Case, later) is not None  # nothing was replaced


def test_a_restore_asks_first_and_changes_nothing_when_refused(app, world, runner, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    later = factories.make_case(world.group, world.users[Role.DEELNEMER]).id
    result = runner.invoke(args=["restore", str(archive)], input="n\n")
    assert result.exit_code == 1
    assert "Aborted" in result.output
    assert db.session.get(Case, later) is not None


def test_a_backup_never_overwrites_a_file(app, world, runner, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(b"older backup")
    result = runner.invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code == 1
    assert "exists already" in result.output
    assert archive.read_bytes() == b"older backup"


def test_the_postgres_password_goes_to_the_tools_apart_and_never_into_a_message():
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    url = make_url("postgresql+psycopg://backup:s3cr%40t-pw@127.0.0.1:1/casustafel?sslmode=disable")
    target, password = libpq_target(url)
    assert password == "s3cr@t-pw"
    assert "s3cr" not in target
    assert target == "postgresql://backup@127.0.0.1:1/casustafel?sslmode=disable"
    part = PostgresPart(create_engine(url))
    with pytest.raises(BackupError) as refused:  # nothing listens on port 1
        part._run("pg_dump", "--format=custom", "--file", "/dev/null")
    assert "s3cr" not in str(refused.value.message)


def test_a_backup_is_made_while_a_write_is_pending_elsewhere(app, world, runner, tmp_path):
    """The online backup does not wait for the server to stop: a reader holds no lock on it."""
    with db.engine.connect() as reader:
        reader.execute(select(Case.id)).all()
        archive = tmp_path / "backup.tar.gz"
        result = runner.invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    created = _manifest(archive)["created_at"]
    assert utcnow() - timedelta(minutes=1) < _parse(created) <= utcnow()


def _parse(moment: str):
    from datetime import datetime

    return datetime.fromisoformat(moment)
