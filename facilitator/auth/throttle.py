"""Throttle login attempts per source address (SECURITY.md A2), beside the per-account lockout.

The lockout stops guessing at one account; an attacker who tries one password at many
accounts from one address is stopped here. Failures are rows in the database, so every process
counts the same ones; rows older than the window are removed as new ones arrive.
"""

from __future__ import annotations

import ipaddress

from flask import current_app, has_request_context, request
from sqlalchemy import delete, func, select

from facilitator.audit.models import AuditAction, AuditOutcome
from facilitator.audit.services import record
from facilitator.auth.models import LoginFailure
from facilitator.database import utcnow
from facilitator.extensions import db


def source_address() -> str:
    """The address failures are counted against; for IPv6 its /64, which one client holds whole
    (moving within it would otherwise start the count afresh)."""
    if not has_request_context():
        return ""
    address = request.remote_addr or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _window_start():
    return utcnow() - current_app.config["LOGIN_THROTTLE_WINDOW"]


def is_throttled(address: str) -> bool:
    """Whether this address failed too often within the window; records the refusal if so."""
    if not address:
        return False
    failures = db.session.scalar(
        select(func.count(LoginFailure.id)).where(
            LoginFailure.address == address, LoginFailure.occurred_at >= _window_start()
        )
    )
    if failures < current_app.config["LOGIN_THROTTLE_MAX_FAILURES"]:
        return False
    record(
        "login_throttled",
        action=AuditAction.EXECUTE,
        outcome=AuditOutcome.DENIED,
        reason=f"{failures} failed attempts from this address",
    )
    return True


def register_failure(address: str) -> None:
    """Count a failed password or code against the address, and forget failures out of the
    window."""
    if not address:
        return
    db.session.execute(delete(LoginFailure).where(LoginFailure.occurred_at < _window_start()))
    db.session.add(LoginFailure(address=address))
