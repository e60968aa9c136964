"""Login and logout workflows (SECURITY.md A2, A3, L1)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from facilitator.audit.models import AuditAction, AuditOutcome
from facilitator.audit.services import record
from facilitator.auth import passwords
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.users.models import User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the user when the credentials are right and the account may log in.

    Every failure looks the same to the caller, so the login page cannot reveal whether an
    account exists, is locked or is inactive; the audit log records which it was.
    """
    user = find_user_by_email(email)
    now = utcnow()
    if user is None:
        passwords.burn_verification_time(password)
        record(
            "login_failed",
            action=AuditAction.EXECUTE,
            outcome=AuditOutcome.FAILURE,
            reason="unknown account",
        )
        return None
    if user.is_locked(now):
        passwords.burn_verification_time(password)
        record(
            "login_failed",
            action=AuditAction.EXECUTE,
            outcome=AuditOutcome.DENIED,
            actor=user,
            reason="account locked",
        )
        return None
    if not user.check_password(password):
        _register_failure(user)
        return None
    if not user.active:
        record(
            "login_failed",
            action=AuditAction.EXECUTE,
            outcome=AuditOutcome.DENIED,
            actor=user,
            reason="account inactive",
        )
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    record("login", action=AuditAction.EXECUTE, actor=user)
    return user


def _register_failure(user: User) -> None:
    user.failed_logins += 1
    record(
        "login_failed",
        action=AuditAction.EXECUTE,
        outcome=AuditOutcome.FAILURE,
        actor=user,
        reason="wrong password",
    )
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = utcnow() + current_app.config["LOGIN_LOCKOUT"]
        user.failed_logins = 0
        record(
            "lockout",
            action=AuditAction.EXECUTE,
            outcome=AuditOutcome.DENIED,
            actor=user,
            reason=f"{current_app.config['LOGIN_MAX_FAILURES']} failed logins",
        )


def logout(user: User) -> None:
    """End every session of the user, here and on any other device."""
    user.end_all_sessions()
    record("logout", action=AuditAction.EXECUTE, actor=user)


def unlock(user: User, *, actor: User | None) -> None:
    """Lift a lockout before it runs out."""
    user.failed_logins = 0
    user.locked_until = None
    record(
        "user_unlocked",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="user",
        object_id=user.id,
    )
