"""The pages of enrolment, shared by the login (a user who must enrol) and the account pages."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from facilitator.auth import totp
from facilitator.auth.forms import EnrolCodeForm
from facilitator.users.models import User


def enrolment_page(user: User, *, form: EnrolCodeForm, at_login: bool) -> str:
    """The enrolment page: a button to start, or the new secret as QR code and text with the
    form that confirms it. The secret is read for this response only."""
    secret = totp.read_secret(user)
    qr = grouped = None
    if secret is not None:
        qr = totp.qr_svg(totp.provisioning_uri(user, secret), title=_("QR code for your app"))
        grouped = totp.grouped(secret)
    return render_template(
        "auth/two_factor_enrol.html",
        form=form,
        at_login=at_login,
        qr=qr,
        grouped_secret=grouped,
        begin_endpoint="auth.enrol_begin" if at_login else "two_factor.begin",
        confirm_endpoint="auth.enrol_confirm" if at_login else "two_factor.confirm",
    )


def recovery_codes_page(codes: list[str], *, continue_url: str) -> str:
    """The recovery codes, shown this once: only their hashes are kept."""
    return render_template("auth/recovery_codes.html", codes=codes, continue_url=continue_url)
