"""One's own account: overview, password, language."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth import two_factor
from facilitator.auth.access import every_role
from facilitator.auth.login_steps import end_if_locked, recent_password_required
from facilitator.auth.sessions import refresh_login
from facilitator.calendars import services as calendar
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import show_service_error
from facilitator.users import services
from facilitator.users.forms import ChangePasswordForm, LanguageForm

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/", methods=["GET", "POST"])
@every_role
def index():
    form = LanguageForm(obj=current_user)
    if form.validate_on_submit():
        services.set_language(current_user, form.language.data)
        db.session.commit()
        flash(_("Language saved."), "success")
        return redirect(url_for(".index"))
    return render_template(
        "account/index.html",
        form=form,
        calendar_feed=calendar.feed_of(current_user),
        recovery_codes_left=(
            two_factor.remaining_recovery_codes(current_user)
            if current_user.two_factor_enabled
            else 0
        ),
        few_recovery_codes=two_factor.FEW_RECOVERY_CODES,
    )


@bp.route("/wachtwoord", methods=["GET", "POST"])
@every_role
@recent_password_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not two_factor.reauthenticate(user, form.current_password.data):
            db.session.commit()  # the failure counts into the lockout, and is audited
            if (locked := end_if_locked(user)) is not None:
                return locked
            form.current_password.errors = [_("Your current password is not correct.")]
            return render_template("account/password.html", form=form)
        try:
            services.change_own_password(
                user, current=form.current_password.data, new=form.password.data
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            refresh_login(user)
            flash(_("Your password has been changed; other sessions have been ended."), "success")
            return redirect(url_for("core.index"))
    return render_template("account/password.html", form=form)
