"""The beheerder's user screens."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth import two_factor
from facilitator.auth.access import roles
from facilitator.auth.login_steps import password_is_recent, recent_password_required
from facilitator.auth.services import unlock
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, clean_query_text, database_int, show_service_error
from facilitator.pagination import paginate
from facilitator.regions.models import Organisation, Region
from facilitator.regions.services import organisations_in
from facilitator.users import services
from facilitator.users.forms import AuditRightForm, NewUserForm, ResetPasswordForm, UserForm
from facilitator.users.models import Role, User

bp = Blueprint("users", __name__, url_prefix="/beheer/gebruikers")
admin_only = roles(Role.BEHEERDER)


def _organisations():
    return db.session.scalars(organisations_in()).all()


@bp.route("/")
@admin_only
def user_list():
    status = request.args.get("status", "")
    filters = {
        "region_id": request.args.get("regio", type=database_int),
        "role": request.args.get("rol", ""),
        "search": clean_query_text(request.args.get("zoek")),
        "active": {"actief": True, "inactief": False}.get(status),
    }
    page = paginate(services.users_query(**filters))
    regions = db.session.scalars(db.select(Region).order_by(Region.name)).all()
    return render_template(
        "users/user_list.html",
        page=page,
        regions=regions,
        filters=filters,
        status=status,
        roles=Role,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@admin_only
def user_create():
    form = NewUserForm(organisations=_organisations())
    if form.validate_on_submit():
        try:
            user = services.create_user(
                name=form.name.data,
                email=form.email.data,
                role=form.role.data,
                organisation=db.get_or_404(Organisation, form.organisation_id.data),
                password=form.password.data,
                language=form.language.data,
                actor=current_user,
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Account for %(name)s created. Give them the password in person or by "
                    "phone; they choose their own at the first login.",
                    name=user.name,
                ),
                "success",
            )
            return redirect(url_for(".user_list"))
    return render_template("users/user_form.html", form=form, user=None)


@bp.route("/<int:user_id>/bewerken", methods=["GET", "POST"])
@admin_only
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, organisations=_organisations())
    if form.validate_on_submit():
        try:
            services.update_user(
                user,
                name=form.name.data,
                email=form.email.data,
                role=form.role.data,
                organisation=db.get_or_404(Organisation, form.organisation_id.data),
                language=form.language.data,
                actor=current_user,
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Account of %(name)s saved.", name=user.name), "success")
            return redirect(url_for(".user_list"))
    return render_template("users/user_form.html", form=form, user=user)


@bp.route("/<int:user_id>/deactiveren", methods=["GET", "POST"])
@admin_only
def user_deactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.deactivate_user(user, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _("Account of %(name)s deactivated; all its sessions have ended.", name=user.name),
                "success",
            )
        return redirect(url_for(".user_edit", user_id=user.id))
    return render_template("users/user_deactivate.html", form=form, user=user)


@bp.route("/<int:user_id>/activeren", methods=["POST"])
@admin_only
def user_reactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        services.reactivate_user(user, actor=current_user)
        db.session.commit()
        flash(_("Account of %(name)s is active again.", name=user.name), "success")
    return redirect(url_for(".user_edit", user_id=user.id))


@bp.route("/<int:user_id>/ontgrendelen", methods=["POST"])
@admin_only
def user_unlock(user_id: int):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        unlock(user, actor=current_user)
        db.session.commit()
        flash(_("Account of %(name)s unlocked.", name=user.name), "success")
    return redirect(url_for(".user_edit", user_id=user.id))


@bp.route("/<int:user_id>/auditrecht", methods=["POST"])
@admin_only
def user_audit_right(user_id: int):
    """Grant or withdraw the audit right; the beheerder sees the log only with it."""
    user = db.get_or_404(User, user_id)
    if not password_is_recent():  # taking over an account, or the log, asks the password again
        flash(_("Enter your password again to continue."), "info")
        return redirect(url_for("two_factor.reauth", next=url_for(".user_edit", user_id=user.id)))
    form = AuditRightForm()
    if form.validate_on_submit():
        granted = form.granted.data == "ja"
        try:
            services.set_audit_right(user, granted, actor=current_user)
        except ServiceError as error:
            flash(str(error), "error")
            return redirect(url_for(".user_edit", user_id=user.id))
        db.session.commit()
        if granted:
            flash(_("%(name)s may now read the audit log.", name=user.name), "success")
        else:
            flash(_("%(name)s may no longer read the audit log.", name=user.name), "success")
    return redirect(url_for(".user_edit", user_id=user.id))


@bp.route("/<int:user_id>/wachtwoord", methods=["GET", "POST"])
@admin_only
@recent_password_required
def user_reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(user, form.password.data, actor=current_user)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "New password set for %(name)s; they choose their own at the next login.",
                    name=user.name,
                ),
                "success",
            )
            return redirect(url_for(".user_edit", user_id=user.id))
    return render_template("users/user_password.html", form=form, user=user)


@bp.route("/<int:user_id>/tweestaps-herstellen", methods=["GET", "POST"])
@admin_only
@recent_password_required
def user_reset_two_factor(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        two_factor.reset_two_factor(user, actor=current_user)
        db.session.commit()
        flash(
            _(
                "Two-factor login of %(name)s removed; their sessions have ended. They set it "
                "up again at the next login.",
                name=user.name,
            ),
            "success",
        )
        return redirect(url_for(".user_edit", user_id=user.id))
    return render_template("users/user_two_factor_reset.html", form=form, user=user)
