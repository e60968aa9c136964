"""Test helpers that act like a browser: read the CSRF token from a page, then post."""

from __future__ import annotations

import re

import pyotp
from flask import current_app, has_app_context

from tests.factories import PASSWORD

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CODE_STEP = "/login/code"


def csrf_token(client, url: str = "/login") -> str:
    """Fetch a page and return the CSRF token of its first form."""
    response = client.get(url)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {response.status_code})"
    return match.group(1)


def post_form(
    client, url: str, data: dict | None = None, *, token_from: str | None = None, **kwargs
):
    """Post a form the way a browser does: with the token the page handed out."""
    token = csrf_token(client, token_from or url)
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def totp_code(app, email: str) -> str:
    """The code the user's authenticator app shows now (the secret read as the server does)."""
    from facilitator.auth import totp

    with _database(app):
        return pyotp.TOTP(totp.read_secret(_fresh_user(email))).now()


def prepare_second_factor(app, email: str) -> None:
    """Before a login by the helper: enrol a user who must have two-factor login (with the
    known test secret, as if they had), and forget the last accepted time step.

    The second part is a test shortcut: replay protection refuses a second login within one
    30-second step, and tests log in the same user many times. The tests of two-factor login
    itself prove the refusal through HTTP, without this helper.
    """
    from facilitator.auth.two_factor import two_factor_required
    from facilitator.extensions import db
    from tests.factories import enrol_two_factor

    with _database(app):
        user = _fresh_user(email)
        if user is None:
            return
        if not user.two_factor_enabled and two_factor_required(user):
            enrol_two_factor(user)
        user.totp_last_step = None
        db.session.commit()


def user_as_stored(email: str):
    """The user with this address as the database holds it now, nothing of the session kept."""
    from sqlalchemy import select

    from facilitator.extensions import db
    from facilitator.users.models import User

    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def audit_events(event_type: str) -> list:
    """The audit rows of one event type as stored now, oldest first."""
    from sqlalchemy import select

    from facilitator.audit.models import AuditEvent
    from facilitator.extensions import db

    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.event_type == event_type)
    return db.session.scalars(query.order_by(AuditEvent.id)).all()


def _fresh_user(email: str):
    """The user as the database holds it now (the test's session may hold an older copy)."""
    from facilitator.auth.services import find_user_by_email
    from facilitator.extensions import db

    user = find_user_by_email(email)
    if user is not None:
        db.session.refresh(user)
    return user


class _database:
    """The test's own app context when it has one for this app, else a new one."""

    def __init__(self, app) -> None:
        self._context = (
            None
            if has_app_context() and current_app._get_current_object() is app
            else app.app_context()
        )

    def __enter__(self):
        if self._context is not None:
            self._context.push()

    def __exit__(self, *exc):
        if self._context is not None:
            self._context.pop()


class AuthActions:
    """Log in the way a user does: the password, then the code from the app when asked."""

    def __init__(self, client) -> None:
        self._client = client

    def login(self, email: str, password: str = PASSWORD, next_url: str = ""):
        app = self._client.application
        prepare_second_factor(app, email)
        data = {"email": email, "password": password}
        if next_url:
            data["next"] = next_url
        response = post_form(self._client, "/login", data)
        if response.status_code == 302 and response.headers["Location"] == CODE_STEP:
            response = post_form(self._client, CODE_STEP, {"code": totp_code(app, email)})
        return response

    def logout(self):
        return post_form(self._client, "/logout", token_from="/account/")
