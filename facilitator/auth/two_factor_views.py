"""One's own two-factor login on the account pages, and the password asked again (A3, A5)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth import login_steps, two_factor
from facilitator.auth.access import every_role
from facilitator.auth.enrolment import enrolment_page, recovery_codes_page
from facilitator.auth.forms import EnrolCodeForm, ReauthForm
from facilitator.auth.login_steps import recent_password_required
from facilitator.auth.redirects import is_safe_next
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm

bp = Blueprint("two_factor", __name__, url_prefix="/account")


def _user():
    return current_user._get_current_object()


@bp.route("/tweestaps/", methods=["GET"])
@every_role
@recent_password_required
def manage():
    user = _user()
    if not user.two_factor_enabled:
        return enrolment_page(user, form=EnrolCodeForm(), at_login=False)
    return render_template(
        "account/two_factor.html",
        remaining=two_factor.remaining_recovery_codes(user),
        few=two_factor.FEW_RECOVERY_CODES,
        required=two_factor.two_factor_required(user),
    )


@bp.route("/tweestaps/start", methods=["POST"])
@every_role
@recent_password_required
def begin():
    if ConfirmForm().validate_on_submit() and not current_user.two_factor_enabled:
        two_factor.begin_enrolment(_user())
        db.session.commit()
    return redirect(url_for(".manage"))


@bp.route("/tweestaps/bevestigen", methods=["POST"])
@every_role
@recent_password_required
def confirm():
    user = _user()
    if user.two_factor_enabled:
        return redirect(url_for(".manage"))
    form = EnrolCodeForm()
    codes = (
        two_factor.confirm_enrolment(user, form.code.data) if form.validate_on_submit() else None
    )
    db.session.commit()
    if codes is None:
        form.code.errors = [*form.code.errors, _("This code is not right. Try the next one.")]
        return enrolment_page(user, form=form, at_login=False)
    flash(_("Two-factor login is on."), "success")
    return recovery_codes_page(codes, continue_url=url_for("account.index"))


@bp.route("/tweestaps/herstelcodes", methods=["POST"])
@every_role
@recent_password_required
def regenerate():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".manage"))
    try:
        codes = two_factor.regenerate_recovery_codes(_user(), actor=_user())
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for(".manage"))
    db.session.commit()
    return recovery_codes_page(codes, continue_url=url_for("account.index"))


@bp.route("/tweestaps/uitzetten", methods=["POST"])
@every_role
@recent_password_required
def disable():
    if ConfirmForm().validate_on_submit():
        try:
            two_factor.disable_two_factor(_user(), actor=_user())
        except ServiceError as error:
            flash(error.message, "error")
            return redirect(url_for(".manage"))
        db.session.commit()
        flash(_("Two-factor login is off."), "success")
    return redirect(url_for("account.index"))


@bp.route("/wachtwoord-bevestigen", methods=["GET", "POST"])
@every_role
def reauth():
    form = ReauthForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = _user()
        if two_factor.reauthenticate(user, form.password.data):
            db.session.commit()
            login_steps.mark_password_recent()
            return redirect(form.next.data if is_safe_next(form.next.data) else url_for(".manage"))
        db.session.commit()
        if (locked := login_steps.end_if_locked(user)) is not None:
            return locked
        form.password.errors = [_("This password is not right.")]
    return render_template("auth/reauth.html", form=form)
