"""Two-factor login workflows (SECURITY.md A5): who must have it, enrolment, codes, reset.

Who must have it: beheerders, users with the audit right, and every member of an organisation
that may see identity data, which is an organisation named in the scope of an active consent
(P5, P7: the consent lists the organisations that may see the client's identity). The rule
holds per organisation, whatever the member's role: it follows the data the organisation can
reach, and fails closed. ``TWO_FACTOR_REQUIRED_FOR_ALL`` extends it to everyone.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, func, select, update

from facilitator.audit.models import AuditAction, AuditOutcome
from facilitator.audit.services import record
from facilitator.auth import throttle, totp
from facilitator.auth.models import RecoveryCode
from facilitator.auth.services import complete_login, count_failure
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.privacy.models import Consent, consent_organisations
from facilitator.users.models import Role, User

#: At this many unused recovery codes or fewer, the account page warns.
FEW_RECOVERY_CODES = 3
ALREADY_ON = _l("Two-factor login is already on.")
NOT_ON = _l("Two-factor login is not on.")
CANNOT_DISABLE = _l("Your account must use two-factor login; it cannot be switched off.")


def required_without_query(user: User) -> bool:
    """The part of the rule that the loaded user answers: checked on every request."""
    return (
        current_app.config["TWO_FACTOR_REQUIRED_FOR_ALL"]
        or user.role == Role.BEHEERDER
        or user.can_read_audit
    )


def organisation_sees_identity(organisation_id: int) -> bool:
    """Whether any active consent names this organisation as one that may see the identity."""
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(consent_organisations.c.organisation_id == organisation_id)
                .where(consent_organisations.c.consent_id == Consent.id)
                .where(Consent.active_on(local_today()))
            )
        )
    )


def two_factor_required(user: User) -> bool:
    """Whether this user must log in with a second factor (checked at every login)."""
    return required_without_query(user) or organisation_sees_identity(user.organisation_id)


def _audit(event_type: str, user: User, *, actor: User | None, **details) -> None:
    record(
        event_type,
        action=details.pop("action", AuditAction.UPDATE),
        actor=actor,
        object_type="user",
        object_id=user.id,
        **details,
    )


def begin_enrolment(user: User) -> None:
    """Give the user a new secret to enrol with; it takes effect once a code confirms it."""
    if user.two_factor_enabled:
        raise ServiceError(ALREADY_ON)
    totp.store_secret(user, totp.new_secret())
    user.totp_last_step = None


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Switch two-factor login on when the code matches the new secret; return the recovery
    codes to show once, or None for a wrong code (audited, counted into the lockout)."""
    if user.two_factor_enabled:
        raise ServiceError(ALREADY_ON)
    accepted, reason = totp.accept_code(user, code)
    if not accepted:
        _failed(user, reason)
        return None
    user.totp_enabled_at = utcnow()
    _audit("two_factor_enabled", user, actor=user)
    return _replace_recovery_codes(user)


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=totp.hash_recovery_code(code)) for code in codes
    )
    return [totp.show_recovery_code(code) for code in codes]


def _failed(user: User, reason: str) -> None:
    record(
        "two_factor_failed",
        action=AuditAction.EXECUTE,
        outcome=AuditOutcome.FAILURE,
        actor=user,
        reason=reason,
    )
    count_failure(user)
    throttle.register_failure(throttle.source_address())


def verify_second_factor(user: User, code: str) -> bool:
    """Check a TOTP code or an unused recovery code at login; a failure is audited and counts
    into the account's lockout and the address's throttle."""
    accepted, reason = totp.accept_code(user, code)
    if accepted:
        return True
    if _use_recovery_code(user, code):
        return True
    _failed(user, reason)
    return False


def login_with_code(user: User, code: str) -> bool:
    """The code step of a login: complete it when the address is not throttled, the account
    not locked, and the code (or a recovery code) is right."""
    if _refused(user) or not verify_second_factor(user, code):
        return False
    complete_login(user)
    return True


def _refused(user: User) -> bool:
    """Whether the address is throttled or the account locked (each audited)."""
    if throttle.is_throttled(throttle.source_address()):
        return True
    if user.is_locked(utcnow()):
        record(
            "login_failed",
            action=AuditAction.EXECUTE,
            outcome=AuditOutcome.DENIED,
            actor=user,
            reason="account locked",
        )
        return True
    return False


def enrol_at_login(user: User, code: str) -> list[str] | None:
    """Confirm the enrolment of a user who must have two-factor login and is logging in; with
    the right code the login is complete."""
    if _refused(user):
        return None
    codes = confirm_enrolment(user, code)
    if codes is not None:
        complete_login(user)
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in unused:
        if totp.recovery_code_matches(row.code_hash, code):
            claimed = db.session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:  # used by another request a moment ago
                return False
            _audit(
                "recovery_code_used",
                user,
                actor=user,
                action=AuditAction.EXECUTE,
                reason=f"{len(unused) - 1} recovery codes left",
            )
            return True
    return False


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def regenerate_recovery_codes(user: User, *, actor: User) -> list[str]:
    """Replace every recovery code with ten new ones, to show once."""
    if not user.two_factor_enabled:
        raise ServiceError(NOT_ON)
    codes = _replace_recovery_codes(user)
    _audit("recovery_codes_regenerated", user, actor=actor)
    return codes


def disable_two_factor(user: User, *, actor: User) -> None:
    """Switch two-factor login off, for a user who is not required to have it."""
    if two_factor_required(user):
        raise ServiceError(CANNOT_DISABLE)
    if not user.two_factor_enabled:
        raise ServiceError(NOT_ON)
    _remove(user)
    _audit("two_factor_disabled", user, actor=actor)


def reset_two_factor(user: User, *, actor: User | None) -> None:
    """Remove a user's second factor (a lost phone): every session of theirs ends, and they
    enrol again at the next login when they must have it."""
    _remove(user)
    user.end_all_sessions()
    _audit("two_factor_reset", user, actor=actor)


def _remove(user: User) -> None:
    totp.clear(user)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def reauthenticate(user: User, password: str) -> bool:
    """Check the password of a logged-in user before a sensitive change; a wrong one is audited
    and counts into the lockout."""
    if user.check_password(password):
        return True
    record(
        "reauth_failed",
        action=AuditAction.EXECUTE,
        outcome=AuditOutcome.FAILURE,
        actor=user,
        reason="wrong password",
    )
    count_failure(user)
    return False
