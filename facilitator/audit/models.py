"""AuditEvent: one row per security-relevant event. Never holds the data itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db


class AuditAction(LabelledEnum):
    """NEN 7513 action codes."""

    CREATE = "C"
    READ = "R"
    UPDATE = "U"
    DELETE = "D"
    EXECUTE = "E"

    @classmethod
    def _labels(cls) -> dict:
        return {member: member.value for member in cls}


class AuditOutcome(LabelledEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"

    @classmethod
    def _labels(cls) -> dict:
        return {member: member.value for member in cls}


class AuditEvent(db.Model):
    """One row of the log (SECURITY.md L1), appended only (L2: facilitator/audit/chain.py).

    The id is given by the chain, not by the database: ids run without gaps, so a removed row
    shows. ``chain`` is HMAC-SHA256(previous row's chain ‖ this row's content).
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: UTC, to the microsecond (finer than L1 asks), as the chain was computed over it.
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[AuditAction] = mapped_column(enum_column_type(AuditAction, "audit_action"))
    #: What happened, e.g. "login", "login_failed", "lockout", "access_denied", "user_created".
    event_type: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[AuditOutcome] = mapped_column(enum_column_type(AuditOutcome, "audit_outcome"))
    #: The acting user as they were at the time; no foreign key, so the row outlives the account.
    user_id: Mapped[int | None] = mapped_column(index=True)
    user_role: Mapped[str] = mapped_column(String(32), default="")
    organisation_id: Mapped[int | None]
    object_type: Mapped[str] = mapped_column(String(64), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    #: A case is named by its pseudonym only.
    case_pseudonym: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[str] = mapped_column(String(255), default="")
    source_address: Mapped[str] = mapped_column(String(64), default="")
    #: The outcome of an authorisation or consent check, e.g. "role", "consent_scope".
    check_result: Mapped[str] = mapped_column(String(64), default="")
    chain: Mapped[str] = mapped_column(String(64))


class AuditChainLock(db.Model):
    """One row, written first by every transaction that appends to the log.

    Writing it takes PostgreSQL's row lock or SQLite's write lock, so appends from every
    process of every host follow each other and each row links to the one before it.
    """

    __tablename__ = "audit_chain_lock"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    appends: Mapped[int] = mapped_column(default=0)


class AuditChainAnchor(db.Model):
    """Where the chain starts again after a purge: the last purged row's id and chain value."""

    __tablename__ = "audit_chain_anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_purged_id: Mapped[int]
    last_purged_chain: Mapped[str] = mapped_column(String(64))
    purged_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditPurgePermit(db.Model):
    """A permit that the append-only trigger reads: rows older than ``before`` may go.

    The purge command writes one for rows over five years old and removes it in the same
    transaction; without a permit the database refuses every DELETE on the log.
    """

    __tablename__ = "audit_purge_permits"

    id: Mapped[int] = mapped_column(primary_key=True)
    before: Mapped[datetime]
