"""Triggers that make the database itself refuse to change or remove audit rows (L2).

Installed by migration 0014 and checked by a test after every migration, because SQLite's batch
migrations rebuild a table without its triggers. A DELETE passes only for rows older than a
purge permit (``AuditPurgePermit``), which the purge command writes and removes in one
transaction for rows over five years old.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

#: The error both databases raise (written out in each trigger: no SQL built from strings).
MESSAGE = "audit_events is append-only"
SQLITE_TRIGGERS = ("audit_events_no_update", "audit_events_no_delete", "audit_events_no_replace")
POSTGRESQL_TRIGGERS = ("audit_events_append_only", "audit_events_no_truncate")

_SQLITE = (
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    WHEN NOT EXISTS (
        SELECT 1 FROM audit_purge_permits WHERE OLD.occurred_at < audit_purge_permits.before
    )
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    # INSERT OR REPLACE removes the old row without firing a DELETE trigger.
    """CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
    WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
)
_POSTGRESQL = (
    """CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
            SELECT 1 FROM audit_purge_permits WHERE OLD.occurred_at < audit_purge_permits.before
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only';
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
)


def install(connection: Connection) -> None:
    statements = _POSTGRESQL if connection.dialect.name == "postgresql" else _SQLITE
    for statement in statements:
        connection.execute(text(statement))


def remove(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        for name in POSTGRESQL_TRIGGERS:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON audit_events"))
        connection.execute(text("DROP FUNCTION IF EXISTS audit_events_append_only()"))
    else:
        for name in SQLITE_TRIGGERS:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def installed(connection: Connection) -> set[str]:
    """The names of this module's triggers present on the audit table."""
    if connection.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass"
        expected = POSTGRESQL_TRIGGERS
    else:
        query = (
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'"
        )
        expected = SQLITE_TRIGGERS
    return {name for (name,) in connection.execute(text(query))} & set(expected)


def expected(connection: Connection) -> set[str]:
    return set(POSTGRESQL_TRIGGERS if connection.dialect.name == "postgresql" else SQLITE_TRIGGERS)
