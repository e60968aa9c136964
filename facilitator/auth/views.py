"""Login and logout."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth import services
from facilitator.auth.access import authenticated, public
from facilitator.auth.forms import LoginForm
from facilitator.auth.redirects import is_safe_next
from facilitator.auth.sessions import end_session, start_session
from facilitator.extensions import db

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is not None:
            start_session(user)
            target = form.next.data if is_safe_next(form.next.data) else url_for("core.index")
            return redirect(target)
        flash(
            _(
                "The e-mail address or password is incorrect, or the account is temporarily "
                "locked. After five failed attempts an account is locked for 15 minutes."
            ),
            "error",
        )
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@authenticated
def logout():
    services.logout(current_user._get_current_object())
    db.session.commit()
    end_session()
    flash(_("You have been logged out."), "info")
    response = redirect(url_for("auth.login"))
    # Text this tab kept for an unconfirmed save goes with the session (Chromium, Firefox).
    response.headers["Clear-Site-Data"] = '"storage"'
    return response
