"""Login and logout workflows (SECURITY.md A2, A3, L1)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from facilitator.audit.models import AuditAction, AuditOutcome
from facilitator.audit.services import record
from facilitator.auth import passwords, throttle
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.users.models import User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the user when the password is right and the account may log in.

    Every failure looks the same to the caller, so the login page cannot reveal whether an
    account exists, is locked or is inactive, or the address is throttled; the audit log
    records which it was. The login is complete only after :func:`complete_login` (after the
    second factor, when the user has one).
    """
    address = throttle.source_address()
    if throttle.is_throttled(address):
        return None
    user = _check_password(email, password)
    if user is None:
        throttle.register_failure(address)
    return user


def _check_password(email: str, password: str) -> User | None:
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
    return user


def complete_login(user: User) -> None:
    """Record the login once every factor is proven; the failure count starts again."""
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    record("login", action=AuditAction.EXECUTE, actor=user)


def _register_failure(user: User) -> None:
    record(
        "login_failed",
        action=AuditAction.EXECUTE,
        outcome=AuditOutcome.FAILURE,
        actor=user,
        reason="wrong password",
    )
    count_failure(user)


def count_failure(user: User) -> None:
    """Count a failed password or code into the account's lockout (A2)."""
    user.failed_logins += 1
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
