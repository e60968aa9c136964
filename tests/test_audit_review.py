"""Attacks on the audit chain, the read log and the audit page from a hostile review (issue 11):
each test once proved a defect, and now keeps it fixed."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.extensions import db
from facilitator.users.models import Role, User
from tests.audit_helpers import make_reader, place_row, utc
from tests.factories import PASSWORD
from tests.helpers import post_form
from tests.test_audit_chain import all_rows, write_rows

# 1. The read log is skipped by a header the client chooses ------------------------------------


def test_a_case_page_fetched_with_the_script_header_is_still_logged(client, auth, world):
    case = world.fictional_case
    auth.login(world.users[Role.DEELNEMER].email)
    response = client.get(f"/casussen/{case.id}", headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    assert case.pseudonym in response.get_data(as_text=True)  # the whole page came back
    reads = [row for row in all_rows() if row.event_type == "record_read"]
    assert len(reads) == 1, "a full case page was served with no read row"


# 2. A prefix of young rows removed by a plain INSERT/DELETE writer passes verify --head --------


def test_young_rows_removed_with_a_forged_anchor_and_permit_are_caught(app, runner):
    write_rows(5)
    head = runner.invoke(args=["audit", "head"]).output.strip()
    rows = all_rows()
    db.session.close()
    # No trigger dropped, no DDL: two INSERTs and two DELETEs by whoever can write the tables.
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_chain_anchors (last_purged_id, last_purged_chain, purged_at)"
                " VALUES (3, :chain, :at)"
            ),
            {"chain": rows[2].chain, "at": datetime(2026, 1, 1)},
        )
        connection.execute(
            text("INSERT INTO audit_purge_permits (before) VALUES (:before)"),
            {"before": datetime(9999, 1, 1)},
        )
        connection.execute(text("DELETE FROM audit_events WHERE id <= 3"))
        connection.execute(text("DELETE FROM audit_purge_permits"))
    assert [row.id for row in all_rows()] == [4, 5]  # three rows of today are gone
    result = runner.invoke(args=["audit", "verify", "--head", head])
    assert result.exit_code == 1, result.output


# 3. SQLite: INSERT OR REPLACE removes a row without the delete trigger firing ----------------


def test_an_upsert_cannot_overwrite_a_row(app):
    """SQLite's INSERT OR REPLACE fires no DELETE trigger; PostgreSQL's upsert is an UPDATE."""
    write_rows(2)
    db.session.close()
    columns = (
        "id, occurred_at, action, event_type, outcome, user_role, object_type, object_id,"
        " case_pseudonym, reason, source_address, check_result, chain"
    )
    copied = (
        "SELECT id, occurred_at, action, event_type, outcome, user_role, object_type, object_id,"
        " case_pseudonym, 'rewritten', source_address, check_result, chain"
        " FROM audit_events WHERE id = 1"
    )
    statement = {
        "sqlite": f"INSERT OR REPLACE INTO audit_events ({columns}) {copied}",
        "postgresql": f"INSERT INTO audit_events ({columns}) {copied}"
        " ON CONFLICT (id) DO UPDATE SET reason = 'rewritten'",
    }[db.engine.dialect.name]
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text(statement))
    assert all_rows()[0].reason != "rewritten"


# 4. The pagination of a chronology answers 500 to a query parameter ---------------------------


def test_a_hostile_query_parameter_on_a_chronology_is_no_500(client, auth, world):
    reader = make_reader(world)
    d = world.users[Role.DEELNEMER]
    for number in range(55):
        place_row(f"m{number}", at=utc(2026, 3, 1, 10, number), user=d)
    auth.login(reader.email)
    assert client.get(f"/audit/gebruiker/{d.id}").status_code == 200
    response = client.get(f"/audit/gebruiker/{d.id}?user_id=abc")
    assert response.status_code != 500


# 5. A beheerder grants themself the audit right ------------------------------------------------


def test_a_beheerder_cannot_grant_themself_the_audit_right(client, auth, world):
    admin = world.users[Role.BEHEERDER]
    auth.login(admin.email)
    assert client.get("/audit/").status_code == 403
    post_form(
        client,
        f"/beheer/gebruikers/{admin.id}/auditrecht",
        {"granted": "ja"},
        token_from=f"/beheer/gebruikers/{admin.id}/bewerken",
    )
    db.session.expire_all()
    assert not db.session.get(User, admin.id).can_read_audit
    assert client.get("/audit/").status_code == 403


# 6. A refused request leaves a successful read row --------------------------------------------


def test_a_refused_request_leaves_no_read_row(client, auth, world):
    auth.login(world.users[Role.PROCESBEGELEIDER].email)
    meeting = world.meeting
    response = client.get(f"/bijeenkomsten/{meeting.id}/correcties/bevindingen/999999")
    assert response.status_code == 404
    reads = [row for row in all_rows() if row.event_type == "record_read"]
    assert reads == [], (
        f"read rows for a refused request: {[(r.object_type, r.object_id) for r in reads]}"
    )


# 7. A row deferred because the session holds the write lock is lost when the session closes ---


def test_a_deferred_committed_row_survives_the_session_closing(app, world):
    from facilitator.audit.services import record_committed

    user = db.session.get(User, world.users[Role.DEELNEMER].id)
    user.name = "Nieuwe Naam"
    db.session.flush()  # SQLite: this session now holds the write lock; PostgreSQL: a row lock
    record("step_one", action=AuditAction.EXECUTE)
    db.session.flush()  # both databases: the session holds the chain's lock
    record_committed("identity_viewed", action=AuditAction.READ, case_pseudonym="AB-CDE")
    db.session.close()  # what the app context's teardown does when the view neither commits
    db.session.remove()  # nor raises (e.g. an HTTPException answered by a handler)
    assert "identity_viewed" in [row.event_type for row in all_rows()]


# 8. PostgreSQL: a request holding a row lock waits for the chain's lock on a second connection --


def test_no_undetected_deadlock_between_a_row_lock_and_the_chain_lock(app, make_app, world):
    """On PostgreSQL a row lock against the chain's lock; on SQLite the one write lock."""
    import threading

    from facilitator.audit.services import record_committed

    postgresql = db.engine.dialect.name == "postgresql"
    user_id = world.users[Role.DEELNEMER].id
    db.session.remove()
    a_flushed, b_locked = threading.Event(), threading.Event()
    pids: dict[str, int] = {}
    errors: list[BaseException] = []
    apps = [make_app(), make_app()]

    def request_a():
        try:
            with apps[0].app_context():
                db.session.get(User, user_id).name = "A"
                db.session.flush()  # a data change, no audit row yet
                a_flushed.set()
                b_locked.wait(10)
                record_committed("identity_viewed", action=AuditAction.READ)
                db.session.commit()
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    def request_b():
        try:
            with apps[1].app_context():
                if postgresql:
                    pids["b"] = db.session.scalar(text("SELECT pg_backend_pid()"))
                a_flushed.wait(10)
                record("case_updated", action=AuditAction.UPDATE)
                db.session.flush()  # holds the chain's lock
                b_locked.set()
                db.session.get(User, user_id).name = "B"
                db.session.flush()  # waits for A's row lock
                db.session.commit()
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=request_a), threading.Thread(target=request_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)
    stuck = [thread for thread in threads if thread.is_alive()]
    if stuck and postgresql:  # free them: PostgreSQL never will
        with db.engine.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pids["b"]})
        for thread in threads:
            thread.join(timeout=15)
    assert not stuck, "both requests waited on each other for 15 s; PostgreSQL saw no deadlock"


# 9. The client's overview misses every look at the case through a meeting page ----------------


def test_the_overview_lists_a_look_at_the_case_on_the_meeting_page(client, auth, world):
    from facilitator.audit.overview import access_overview
    from facilitator.cases.models import Case

    case = world.consent_case
    member = world.users[Role.DEELNEMER]
    auth.login(member.email)
    page = client.get(f"/bijeenkomsten/{world.meeting.id}")
    assert page.status_code == 200
    assert case.pseudonym in page.get_data(as_text=True)  # the meeting page shows the case
    db.session.expire_all()
    entries = access_overview(db.session.get(Case, case.id)).entries
    looks = [e for e in entries if e.user_id == member.id and e.action == AuditAction.READ]
    assert looks, "the member saw the case on the meeting page; the client's overview omits it"


# 10. An audit reader without two-factor login reads the log (L3, A5) ---------------------------


def test_an_audit_reader_needs_two_factor_login(client, world):
    reader = make_reader(world)
    response = post_form(client, "/login", {"email": reader.email, "password": PASSWORD})
    assert response.headers["Location"] == "/login/tweestaps", "the password alone: enrol first"
    assert client.get("/audit/").headers["Location"].startswith("/login")


# 11. A row added through the ORM without every column is sealed over None, stored as "" --------


def test_a_row_added_through_the_orm_with_column_defaults_verifies(app, runner, world):
    place_row("marker", at=utc(2026, 3, 1, 10))  # the tests' own helper: no object_type/_id
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


# 12. The action board shows the cases' actions (text about the client) without a read row -----


def test_verify_names_a_row_with_an_unreadable_value(app, runner):
    write_rows(3)
    db.session.close()
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
            connection.execute(text("PRAGMA ignore_check_constraints = ON"))
            connection.execute(text("UPDATE audit_events SET action = 'X' WHERE id = 2"))
            connection.execute(text("PRAGMA ignore_check_constraints = OFF"))
        else:
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
            connection.execute(
                text("ALTER TABLE audit_events DROP CONSTRAINT ck_audit_events_audit_action")
            )
            connection.execute(text("UPDATE audit_events SET action = 'X' WHERE id = 2"))
    try:
        result = runner.invoke(args=["audit", "verify"])
    finally:  # put the table back for the tests after this one
        from facilitator.audit import append_only

        db.session.close()
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE audit_events SET action = 'E' WHERE id = 2"))
            if connection.dialect.name == "postgresql":
                connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
                connection.execute(
                    text(
                        "ALTER TABLE audit_events ADD CONSTRAINT ck_audit_events_audit_action"
                        " CHECK (action IN ('C', 'R', 'U', 'D', 'E'))"
                    )
                )
            else:
                append_only.remove(connection)
                append_only.install(connection)
    assert "broken at row 2" in result.output, (result.output, repr(result.exception))


def test_the_action_board_and_my_actions_log_a_read_per_case_shown(client, auth, world):
    """The board shows each case's actions: a look at the case's data, by pseudonym."""
    leader = world.users[Role.PROCESBEGELEIDER]
    auth.login(leader.email)
    assert client.get(f"/groepen/{world.group.id}/acties").status_code == 200
    reads = [row for row in all_rows() if row.event_type == "record_read"]
    assert world.action.case is not None
    assert [(row.case_pseudonym, row.check_result) for row in reads] == [
        (world.action.case.pseudonym, "can_view_board")
    ]
    owner = world.users[Role.DEELNEMER]
    auth.logout()
    auth.login(owner.email)
    assert client.get("/acties").status_code == 200
    reads = [row for row in all_rows() if row.event_type == "record_read"]
    assert [row.user_id for row in reads][-1:] == [owner.id]
