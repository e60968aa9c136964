"""Recording audit events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import has_request_context, request

from facilitator.audit.models import AuditAction, AuditEvent, AuditOutcome
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
    event = AuditEvent(
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
    db.session.add(event)
    return event


def _source_address() -> str:
    if not has_request_context():
        return "cli"
    return (request.remote_addr or "")[:64]
