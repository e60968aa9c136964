"""Audit rows placed on purpose for the audit page's tests, and an audit reader."""

from __future__ import annotations

from datetime import UTC, datetime

from facilitator.audit.models import AuditAction, AuditEvent, AuditOutcome
from facilitator.extensions import db
from facilitator.users import services as users
from facilitator.users.models import Role, User
from tests.factories import make_user


def make_reader(world) -> User:
    """A deelnemer of Gemeente Noord, in no group, to whom the beheerder granted the right."""
    reader = make_user(
        world.gemeente, Role.DEELNEMER, email="auditor@noord.example", name="Anna Auditor"
    )
    users.set_audit_right(reader, True, actor=world.users[Role.BEHEERDER])
    db.session.commit()
    return reader


def place_row(
    marker: str,
    *,
    at: datetime,
    user: User | None = None,
    user_id: int | None = None,
    pseudonym: str = "",
    event_type: str = "case_updated",
    action: AuditAction = AuditAction.UPDATE,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
) -> AuditEvent:
    """An audit row at a chosen moment; ``marker`` is its reason, to find it on a page."""
    row = AuditEvent(
        occurred_at=at,
        action=action,
        event_type=event_type,
        outcome=outcome,
        user_id=user.id if user is not None else user_id,
        user_role=user.role.value if user is not None else "",
        organisation_id=user.organisation_id if user is not None else None,
        case_pseudonym=pseudonym,
        reason=marker,
        source_address="10.0.0.7",
        check_result="role",
    )
    db.session.add(row)
    db.session.commit()
    return row


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)
