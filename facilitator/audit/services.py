"""Recording audit events: with the caller's change, or committed at once (reads, denials).

Either way each row is sealed into the chain (facilitator/audit/chain.py) as it is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from facilitator.audit import chain
from facilitator.audit.models import AuditAction, AuditEvent, AuditOutcome
from facilitator.database import utcnow
from facilitator.extensions import db

if TYPE_CHECKING:
    from facilitator.users.models import User


def record(
    event_type: str,
    *,
    action: AuditAction,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    actor: User | None = None,
    object_type: str = "",
    object_id: str | int = "",
    case_pseudonym: str = "",
    reason: str = "",
    check_result: str = "",
) -> AuditEvent:
    """Add an audit event to the session; the caller's commit stores it with the change."""
    row = AuditEvent(
        occurred_at=utcnow(),
        event_type=event_type,
        action=action,
        outcome=outcome,
        user_id=actor.id if actor is not None else None,
        user_role=actor.role.value if actor is not None else "",
        organisation_id=actor.organisation_id if actor is not None else None,
        object_type=object_type,
        object_id=str(object_id),
        case_pseudonym=case_pseudonym,
        reason=reason[:255],
        source_address=_source_address(),
        check_result=check_result,
    )
    db.session.add(row)
    db.session().info.setdefault(_IN_ORDER, []).append(row)
    return row


def _source_address() -> str:
    if not has_request_context():
        return "cli"
    return (request.remote_addr or "")[:64]


def record_committed(event_type: str, **details) -> None:
    """Write an audit event that survives the request's rollback.

    For reads of identity data: the look happened whatever the request does next. Normally
    the row is committed at once in a transaction of its own. When this session's transaction
    has already written (SQLite's one write lock, a PostgreSQL row lock, the chain's lock), a
    second connection could wait for a lock this session holds while this session waits for
    it: the row then goes with the transaction, and is written anew once that transaction
    ends without a commit (rolled back, or just closed).
    """
    record_all_committed([{"event_type": event_type, **details}])


def record_all_committed(rows: list[dict], **shared) -> None:
    """``record_committed`` for several rows (``record``'s arguments each) in one transaction."""
    added = [record(**details, **shared) for details in rows]
    values = [
        {
            column.key: getattr(row, column.key)
            for column in AuditEvent.__table__.columns
            if column.key not in ("id", "chain")
        }
        for row in added
    ]
    session = db.session()
    if _session_holds_sqlite_write() or session.info.get(_HAS_WRITTEN):
        # The rows go with this transaction; should it end uncommitted, they are written anew.
        session.info.setdefault(_UNLESS_COMMITTED, []).extend(values)
        return
    for row in added:
        session.expunge(row)
        session.info[_IN_ORDER].remove(row)
    with db.engine.begin() as connection:
        chain.append(connection, values)


#: Session info keys: rows in the order ``record`` added them; whether this session's open
#: transaction has flushed anything; rows to write anew if that transaction is not committed.
_IN_ORDER = "audit_rows_in_order"
_HAS_WRITTEN = "audit_session_has_written"
_UNLESS_COMMITTED = "audit_rows_unless_committed"


@event.listens_for(Session, "before_flush")
def _seal_new_rows(session: Session, flush_context, instances) -> None:
    """Give the audit rows about to be inserted their id and chain value, in recorded order."""
    new = [row for row in session.new if isinstance(row, AuditEvent)]
    if not new:
        return
    recorded = [row for row in session.info.pop(_IN_ORDER, []) if row in session.new]
    rows = recorded + [row for row in new if row not in recorded]
    for row in rows:
        _fill_defaults(row)
    values = [{name: getattr(row, name) for name in chain.CONTENT if name != "id"} for row in rows]
    chain.link(session.connection(), values, chain.audit_key())
    for row, row_values in zip(rows, values, strict=True):
        row.id, row.occurred_at, row.chain = (
            row_values["id"],
            row_values["occurred_at"],
            row_values["chain"],
        )


def _fill_defaults(row: AuditEvent) -> None:
    """Seal what will be stored: a column left empty gets its default before, not after."""
    if row.occurred_at is None:
        row.occurred_at = utcnow()
    for column in AuditEvent.__table__.columns:
        default = column.default
        if getattr(row, column.key) is None and default is not None and default.is_scalar:
            setattr(row, column.key, default.arg)


@event.listens_for(Session, "after_flush")
def _note_the_write(session: Session, flush_context) -> None:
    session.info[_HAS_WRITTEN] = True


@event.listens_for(Session, "after_commit")
def _rows_committed(session: Session) -> None:
    session.info.pop(_UNLESS_COMMITTED, None)


@event.listens_for(Session, "after_transaction_end")
def _write_rows_not_committed(session: Session, transaction) -> None:
    """At the end of the outer transaction: write anew the rows it carried but did not commit."""
    if transaction.parent is not None:
        return
    session.info.pop(_HAS_WRITTEN, None)
    session.info.pop(_IN_ORDER, None)
    rows = session.info.pop(_UNLESS_COMMITTED, None)
    if rows:
        with db.engine.begin() as connection:
            chain.append(connection, rows)


def _session_holds_sqlite_write() -> bool:
    """Whether this session's SQLite connection has written in its open transaction.

    pysqlite opens a transaction only before a write, so ``in_transaction`` says just that.
    """
    session = db.session()
    if session.get_bind().dialect.name != "sqlite" or not session.in_transaction():
        return False
    dbapi_connection = session.connection().connection.dbapi_connection
    return bool(getattr(dbapi_connection, "in_transaction", False))
