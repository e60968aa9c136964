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
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
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
