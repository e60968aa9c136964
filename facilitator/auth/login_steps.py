"""The steps of a login after the password, and the recent-password check (SECURITY.md A3, A5).

Between password and code the session holds only a note of who is logging in: no login id,
so ``current_user`` stays anonymous and every page but the code step (or, for a user who must
enrol first, the enrolment step) stays shut. The note expires after a few minutes. Only when
the second factor is proven does ``start_session`` issue a new session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum
from functools import wraps

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.requests import is_static_endpoint
from facilitator.auth.sessions import REAUTH_AT
from facilitator.auth.two_factor import required_without_query, two_factor_required
from facilitator.extensions import db
from facilitator.users.models import User

PENDING = "login_pending"

#: What a logged-in user who must still enrol can reach: enrolment and the way out (and the
#: forced password change, which comes first).
_ENROLMENT_ENDPOINTS = {
    "account.password",
    "two_factor.manage",
    "two_factor.begin",
    "two_factor.confirm",
    "two_factor.reauth",
    "auth.logout",
    "core.set_language",
    "core.healthz",
}


class Step(Enum):
    CODE = "auth.code"
    ENROL = "auth.enrol"


def step_after_password(user: User) -> Step | None:
    """What the user must still do after a right password; None: the login is complete."""
    if user.two_factor_enabled:
        return Step.CODE
    if two_factor_required(user):
        return Step.ENROL
    return None


def begin_pending(user: User, step: Step, target: str) -> None:
    """Note who gave the right password; nothing of an earlier session survives."""
    session.clear()
    session[PENDING] = {
        "user": user.id,
        "version": user.session_version,
        "step": step.name,
        "at": time.time(),
        "next": target,
    }


def pending_user(step: Step) -> User | None:
    """The user between password and this step, or None (no note, expired, or stale)."""
    note = session.get(PENDING)
    if not isinstance(note, dict) or note.get("step") != step.name:
        return None
    limit = current_app.config["TWO_FACTOR_PENDING_TIMEOUT"].total_seconds()
    started = note.get("at")
    if not isinstance(started, int | float) or time.time() - started > limit:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, note.get("user")) if isinstance(note.get("user"), int) else None
    if user is None or not user.active or user.session_version != note.get("version"):
        session.pop(PENDING, None)
        return None
    if step == Step.ENROL and user.two_factor_enabled:
        return None
    return user


def pending_target() -> str:
    """Where the login goes once complete: the page asked for, checked at the password step."""
    note = session.get(PENDING)
    target = note.get("next") if isinstance(note, dict) else None
    return target if isinstance(target, str) and target else url_for("core.index")


def drop_pending() -> None:
    session.pop(PENDING, None)


def mark_password_recent() -> None:
    session[REAUTH_AT] = time.time()


def password_is_recent() -> bool:
    given = session.get(REAUTH_AT)
    limit = current_app.config["REAUTH_MAX_AGE"].total_seconds()
    return isinstance(given, int | float) and time.time() - given <= limit


def end_if_locked(user: User):
    """After a wrong password in a session: if that locked the account, end the session."""
    from facilitator.auth.services import logout
    from facilitator.auth.sessions import end_session
    from facilitator.database import utcnow

    if not user.is_locked(utcnow()):
        return None
    logout(user)
    db.session.commit()
    end_session()
    flash(_("Too many wrong passwords: the account is locked for a while."), "error")
    return redirect(url_for("auth.login"))


def recent_password_required(view: Callable) -> Callable:
    """Ask for the password again unless it was given within the last few minutes."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not password_is_recent():
            flash(_("Enter your password again to continue."), "info")
            return redirect(url_for("two_factor.reauth", next=request.path))
        return view(*args, **kwargs)

    return wrapper


def enforce_two_factor():
    """Before every request: a logged-in user who must have two-factor login and has none
    reaches only the enrolment (fail closed). The login itself sends such users to enrolment;
    this catches a right or a setting that arrived during their session."""
    if request.endpoint is None or is_static_endpoint(request.endpoint):
        return None
    if not current_user.is_authenticated or current_user.two_factor_enabled:
        return None
    if not required_without_query(current_user) or request.endpoint in _ENROLMENT_ENDPOINTS:
        return None
    flash(_("Set up two-factor login before you continue."), "info")
    return redirect(url_for("two_factor.manage"))
