"""Login in steps (password, then the second factor or its enrolment) and logout."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth import login_steps, services, two_factor
from facilitator.auth.access import every_role, public
from facilitator.auth.enrolment import enrolment_page, recovery_codes_page
from facilitator.auth.forms import CodeForm, EnrolCodeForm, LoginForm
from facilitator.auth.login_steps import Step
from facilitator.auth.redirects import is_safe_next
from facilitator.auth.sessions import end_session, start_session
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.forms import ConfirmForm

bp = Blueprint("auth", __name__)


def _generic_failure() -> None:
    flash(
        _(
            "The e-mail address or password is incorrect, or the account is temporarily "
            "locked. After five failed attempts an account is locked for 15 minutes."
        ),
        "error",
    )


def _start_again():
    flash(_("Log in again: the step after your password has expired."), "info")
    return redirect(url_for(".login"))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            target = form.next.data if is_safe_next(form.next.data) else url_for("core.index")
            step = login_steps.step_after_password(user)
            if step is not None:
                db.session.commit()
                login_steps.begin_pending(user, step, target)
                return redirect(url_for(step.value))
            services.complete_login(user)
            db.session.commit()
            start_session(user)
            return redirect(target)
        db.session.commit()
        _generic_failure()
    return render_template("auth/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@public
def code():
    user = login_steps.pending_user(Step.CODE)
    if user is None:
        return _start_again()
    form = CodeForm()
    if form.validate_on_submit():
        accepted = two_factor.login_with_code(user, form.code.data)
        db.session.commit()
        if accepted:
            target = login_steps.pending_target()
            start_session(user)
            return redirect(target)
        if user.is_locked(utcnow()):
            login_steps.drop_pending()
            _generic_failure()
            return redirect(url_for(".login"))
        form.code.errors = [_("This code is not right, or it was used before. Try the next one.")]
    return render_template("auth/code.html", form=form)


@bp.route("/login/tweestaps", methods=["GET"])
@public
def enrol():
    user = login_steps.pending_user(Step.ENROL)
    if user is None:
        return _start_again()
    return enrolment_page(user, form=EnrolCodeForm(), at_login=True)


@bp.route("/login/tweestaps/start", methods=["POST"])
@public
def enrol_begin():
    user = login_steps.pending_user(Step.ENROL)
    if user is None:
        return _start_again()
    if ConfirmForm().validate_on_submit():
        two_factor.begin_enrolment(user)
        db.session.commit()
    return redirect(url_for(".enrol"))


@bp.route("/login/tweestaps/bevestigen", methods=["POST"])
@public
def enrol_confirm():
    user = login_steps.pending_user(Step.ENROL)
    if user is None:
        return _start_again()
    form = EnrolCodeForm()
    codes = two_factor.enrol_at_login(user, form.code.data) if form.validate_on_submit() else None
    db.session.commit()
    if codes is None:
        if user.is_locked(utcnow()):
            login_steps.drop_pending()
            _generic_failure()
            return redirect(url_for(".login"))
        form.code.errors = [*form.code.errors, _("This code is not right. Try the next one.")]
        return enrolment_page(user, form=form, at_login=True)
    target = login_steps.pending_target()
    start_session(user)
    return recovery_codes_page(codes, continue_url=target)


@bp.route("/logout", methods=["POST"])
@every_role
def logout():
    services.logout(current_user._get_current_object())
    db.session.commit()
    end_session()
    flash(_("You have been logged out."), "info")
    response = redirect(url_for("auth.login"))
    # Text this tab kept for an unconfirmed save goes with the session (Chromium, Firefox).
    response.headers["Clear-Site-Data"] = '"storage"'
    return response
