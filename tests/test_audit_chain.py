"""The audit log is a chain the database keeps appending to (SECURITY.md L2, issue 11).

Every row carries HMAC-SHA256(previous chain ‖ its content) under AUDIT_KEY; ids run without
gaps; the database refuses UPDATE and DELETE; `facilitator audit verify` names the first broken
or missing row, and `--head` catches a removed tail.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta

import flask_migrate
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from facilitator.audit import append_only, chain
from facilitator.audit.models import AuditAction, AuditChainAnchor, AuditEvent
from facilitator.audit.services import record, record_committed
from facilitator.extensions import db
from facilitator.users.models import Role
from tests.conftest import reset_schema

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")


def write_rows(count: int, *, prefix: str = "test") -> None:
    for number in range(count):
        record(f"{prefix}_{number}", action=AuditAction.EXECUTE, reason=f"row {number}")
    db.session.commit()


def all_rows() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def without_triggers(statement: str, **params) -> None:
    """What someone with write access to the database could do: drop the triggers, change."""
    db.session.close()  # PostgreSQL: dropping a trigger waits for this session's read lock
    with db.engine.begin() as connection:
        append_only.remove(connection)
        connection.execute(text(statement), params)
        append_only.install(connection)


def test_rows_are_numbered_without_gaps_and_sealed_in_order(app):
    write_rows(3)
    record_committed("committed_row", action=AuditAction.READ, case_pseudonym="K-ABC123")
    rows = all_rows()
    assert [row.id for row in rows] == [1, 2, 3, 4]
    previous = chain.GENESIS
    for row in rows:
        values = {name: getattr(row, name) for name in chain.CONTENT}
        assert row.chain == chain.seal(chain.audit_key(), previous, values)
        previous = row.chain


def test_verify_counts_the_rows_and_head_prints_the_latest(app, runner):
    write_rows(5)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "5 rows checked" in result.output
    head = runner.invoke(args=["audit", "head"])
    latest = all_rows()[-1]
    assert head.output.strip() == f"{latest.id}:{latest.chain}"
    recorded = runner.invoke(args=["audit", "verify", "--head", head.output.strip()])
    assert recorded.exit_code == 0, recorded.output


def test_a_changed_row_is_named(app, runner):
    write_rows(4)
    without_triggers("UPDATE audit_events SET reason = 'niets gezien' WHERE id = 2")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "broken at row 2" in result.output


def test_a_row_resealed_without_the_key_is_named(app, runner):
    """A plain hash chain could be recomputed by whoever writes the table; an HMAC cannot."""
    write_rows(3)
    rows = all_rows()
    values = {name: getattr(rows[2], name) for name in chain.CONTENT} | {"reason": "anders"}
    forged = chain.seal(b"a key guessed by the intruder.00", rows[1].chain, values)
    without_triggers(
        "UPDATE audit_events SET reason = 'anders', chain = :forged WHERE id = 3", forged=forged
    )
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "broken at row 3" in result.output


def test_a_removed_row_is_named(app, runner):
    write_rows(5)
    without_triggers("DELETE FROM audit_events WHERE id = 3")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "row 3 is missing" in result.output


def test_a_removed_tail_is_caught_by_the_recorded_head(app, runner):
    write_rows(5)
    head = runner.invoke(args=["audit", "head"]).output.strip()
    without_triggers("DELETE FROM audit_events WHERE id >= 4")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    result = runner.invoke(args=["audit", "verify", "--head", head])
    assert result.exit_code == 1
    assert "row 5" in result.output


def test_a_head_that_differs_is_caught(app, runner):
    write_rows(2)
    result = runner.invoke(args=["audit", "verify", "--head", "2:" + "ab" * 32])
    assert result.exit_code == 1
    assert "differs from the head" in result.output
    assert runner.invoke(args=["audit", "verify", "--head", "2:abc"]).exit_code == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET reason = 'weg' WHERE id = 1",
        "DELETE FROM audit_events WHERE id = 1",
        "DELETE FROM audit_events",
    ],
)
def test_the_database_refuses_to_change_or_remove_a_row(app, statement):
    write_rows(1)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text(statement))
    assert len(all_rows()) == 1


def test_the_orm_cannot_change_a_row_either(app):
    write_rows(1)
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(update(AuditEvent).values(reason="weg"))
        db.session.flush()
    db.session.rollback()


def test_postgresql_refuses_truncate_as_well(app):
    """SQLite has no TRUNCATE; its DELETE without WHERE is refused above."""
    write_rows(1)
    statement = "TRUNCATE audit_events" if db.engine.dialect.name == "postgresql" else None
    if statement is not None:
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))
    assert len(all_rows()) == 1


def test_the_triggers_are_in_place_after_every_migration(app):
    """A later SQLite batch migration of the table would rebuild it without them."""
    with db.engine.connect() as connection:
        assert append_only.installed(connection) == append_only.expected(connection)


def old_rows(count: int, years: int) -> None:
    moment = datetime.now(UTC) - timedelta(days=365 * years + 10)
    with db.engine.begin() as connection:
        chain.append(
            connection,
            [
                {
                    "occurred_at": moment + timedelta(minutes=number),
                    "action": AuditAction.READ,
                    "event_type": "old_read",
                    "outcome": "success",
                    "user_id": None,
                    "user_role": "",
                    "organisation_id": None,
                    "object_type": "cases",
                    "object_id": str(number),
                    "case_pseudonym": "",
                    "reason": "",
                    "source_address": "cli",
                    "check_result": "",
                }
                for number in range(count)
            ],
        )


def test_purge_refuses_rows_younger_than_five_years(app, runner):
    write_rows(3)
    recent = (datetime.now(UTC) - timedelta(days=365 * 4)).date().isoformat()
    result = runner.invoke(args=["audit", "purge", "--before", recent, "--yes"])
    assert result.exit_code == 1
    assert "younger than 5 years" in result.output
    assert len(all_rows()) == 3


def test_purge_removes_old_rows_and_the_chain_still_holds(app, runner):
    old_rows(4, years=6)
    write_rows(2)
    cut = (datetime.now(UTC) - timedelta(days=365 * 5 + 2)).date().isoformat()
    result = runner.invoke(args=["audit", "purge", "--before", cut, "--yes"])
    assert result.exit_code == 0, result.output
    assert "4 audit rows removed" in result.output
    rows = all_rows()
    assert [row.event_type for row in rows] == ["test_0", "test_1", "audit_purged"]
    assert rows[0].id == 5
    anchor = db.session.scalars(select(AuditChainAnchor)).one()
    assert anchor.last_purged_id == 4
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "3 rows checked" in verified.output
    write_rows(1, prefix="after")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_appends_of_two_processes_at_once_keep_one_chain(app, make_app, runner):
    """Two app instances on one database, each with writers in threads."""
    apps = [make_app(), make_app()]
    errors: list[BaseException] = []

    def write(instance, number: int) -> None:
        try:
            with instance.app_context():
                for row in range(15):
                    if row % 2:
                        record_committed(f"thread_{number}", action=AuditAction.READ)
                    else:
                        record(f"thread_{number}", action=AuditAction.EXECUTE)
                        db.session.commit()
                db.session.remove()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [
        threading.Thread(target=write, args=(apps[number % 2], number)) for number in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    rows = all_rows()
    assert [row.id for row in rows] == list(range(1, 61))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "60 rows checked" in result.output


def test_a_committed_row_while_this_session_holds_the_lock_does_not_wait(app):
    """The session's flushed audit row holds the chain's lock; a second connection would wait
    for it forever (PostgreSQL), so the row goes with the transaction instead."""
    record("first", action=AuditAction.EXECUTE)
    db.session.flush()
    record_committed("identity_read", action=AuditAction.READ, case_pseudonym="K-AAAAAA")
    db.session.rollback()
    # The read happened whatever the request did next: it is written after the rollback.
    assert [row.event_type for row in all_rows()] == ["identity_read"]
    record("second", action=AuditAction.EXECUTE)
    db.session.flush()
    record_committed("identity_read", action=AuditAction.READ)
    db.session.commit()
    assert [row.event_type for row in all_rows()] == ["identity_read", "second", "identity_read"]


def read_rows() -> list[AuditEvent]:
    return [row for row in all_rows() if row.event_type == "record_read"]


def test_a_page_that_shows_a_case_is_logged_as_a_read(client, auth, world):
    case = world.fictional_case
    member = world.users[Role.DEELNEMER]
    auth.login(member.email)
    assert client.get(f"/casussen/{case.id}").status_code == 200
    rows = read_rows()
    assert len(rows) == 1
    read = rows[0]
    assert (read.action, read.user_id, read.case_pseudonym, read.object_type) == (
        AuditAction.READ,
        member.id,
        case.pseudonym,
        "cases",
    )
    assert read.organisation_id == member.organisation_id
    assert read.source_address == "127.0.0.1"


def test_a_meeting_page_is_logged_and_its_projector_poll_is_not(client, auth, world):
    auth.login(world.users[Role.PROCESBEGELEIDER].email)
    assert client.get(f"/bijeenkomsten/{world.meeting.id}").status_code == 200
    assert [row.object_type for row in read_rows()] == ["meetings"]
    poll = client.get(f"/bijeenkomsten/{world.meeting.id}/presentatie.json")
    assert poll.status_code == 200
    assert len(read_rows()) == 1
    # What the client sends decides nothing: the page fetched as a script is still a read.
    client.get(f"/bijeenkomsten/{world.meeting.id}", headers={"X-Requested-With": "fetch"})
    assert len(read_rows()) == 2


def test_a_refused_read_is_a_denial_not_a_read(client, auth, world):
    auth.login(world.other_user.email)
    assert client.get(f"/casussen/{world.fictional_case.id}").status_code in (403, 404)
    assert read_rows() == []


def _seal_on_upgrade(instance) -> None:
    reset_schema(instance)
    with instance.app_context():
        flask_migrate.upgrade(revision="0013_audit_right")
        for row_id, moment in ((3, "2026-01-05 10:00:00.250000"), (8, "2026-01-05 10:01:00")):
            db.session.execute(
                text(
                    "INSERT INTO audit_events (id, occurred_at, action, event_type, outcome,"
                    " user_role, object_type, object_id, case_pseudonym, reason,"
                    " source_address, check_result) VALUES (:id, :moment, 'E', 'login',"
                    " 'success', '', '', '', '', '', '127.0.0.1', '')"
                ),
                {"id": row_id, "moment": moment},
            )
        db.session.commit()
        flask_migrate.upgrade()
        rows = all_rows()
        assert [row.id for row in rows] == [1, 2]
        assert rows[0].occurred_at == datetime(2026, 1, 5, 10, 0, 0, 250000, tzinfo=UTC)
        with db.engine.connect() as connection:
            assert chain.verify(connection, chain.audit_key()).checked == 2
            assert append_only.installed(connection) == append_only.expected(connection)
        record("after_upgrade", action=AuditAction.EXECUTE)
        db.session.commit()
        assert [row.id for row in all_rows()] == [1, 2, 3]
        db.session.remove()
        flask_migrate.downgrade(revision="0013_audit_right")
        db.session.execute(text("DELETE FROM audit_events"))
        db.session.commit()
        db.session.remove()


def test_the_migration_seals_the_rows_already_there_on_sqlite(tmp_path, make_app):
    _seal_on_upgrade(make_app(f"sqlite:///{tmp_path / 'chain.db'}"))


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set: no PostgreSQL")
def test_the_migration_seals_the_rows_already_there_on_postgresql(make_app):
    _seal_on_upgrade(make_app(POSTGRES_URL))
