"""Session lifetime (SECURITY.md A3): idle timeout, absolute lifetime, forced password change."""

from __future__ import annotations

import time

from flask import current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from facilitator.auth.requests import is_script_request, is_static_endpoint
from facilitator.users.models import User

LOGIN_AT = "login_at"
LAST_SEEN = "last_seen"
#: When the password was last given in this session: a login, or asked again (A3).
REAUTH_AT = "reauth_at"

#: Endpoints a user who must change their password can still reach.
_PASSWORD_CHANGE_ENDPOINTS = {
    "account.password",
    "two_factor.reauth",
    "auth.logout",
    "core.set_language",
    "core.healthz",
}


def start_session(user: User) -> None:
    """Begin a fresh session for a user who just proved who they are."""
    session.clear()
    login_user(user)
    now = time.time()
    session[LOGIN_AT] = now
    session[LAST_SEEN] = now
    session[REAUTH_AT] = now
    session.permanent = True


def refresh_login(user: User) -> None:
    """Re-issue the login id after the session version changed, keeping this session alive."""
    login_user(user)


def end_session() -> None:
    logout_user()
    session.clear()


def enforce_session_lifetime():
    """Before every request: end sessions that were idle or open too long."""
    if is_static_endpoint(request.endpoint):
        return None
    if not current_user.is_authenticated:
        return None
    now = time.time()
    login_at = session.get(LOGIN_AT)
    last_seen = session.get(LAST_SEEN)
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    if (
        not isinstance(login_at, int | float)
        or not isinstance(last_seen, int | float)
        or now - last_seen > idle
        or now - login_at > absolute
    ):
        end_session()
        if is_script_request():
            return session_expired_json()
        flash(_("Your session has expired. Please log in again."), "info")
        return redirect(url_for("auth.login"))
    session[LAST_SEEN] = now
    if current_user.must_change_password and request.endpoint not in _PASSWORD_CHANGE_ENDPOINTS:
        flash(_("Choose your own password before you continue."), "info")
        return redirect(url_for("account.password"))
    return None


def session_expired_json():
    return jsonify(
        status="login",
        message=_(
            "Your session has expired. Log in again, then reload this page: this tab puts "
            "your unsaved text back and saves it."
        ),
    ), 401
