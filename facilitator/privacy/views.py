"""Consent and identity screens: show identity (P7), extend, withdraw (P6)."""

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import authenticated
from facilitator.cases import policy
from facilitator.cases.models import Case
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, show_service_error
from facilitator.loading import load_or_deny
from facilitator.privacy import services
from facilitator.privacy.forms import (
    ExtendConsentForm,
    WithdrawConsentForm,
)
from facilitator.privacy.guard import PersonalDataError
from facilitator.versions import EditConflict

bp = Blueprint("privacy", __name__, url_prefix="/casussen")


@bp.route("/<int:case_id>/identiteit", methods=["POST"])
@authenticated
def identity_show(case_id: int):
    case = load_or_deny(Case, case_id, policy.can_view_case)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("cases.case_detail", case_id=case.id))
    identity = services.reveal_identity(case, current_user)
    db.session.commit()  # the audit row is written whatever the outcome
    if identity is None:
        flash(_("The identity of this case cannot be shown to you."), "error")
        return redirect(url_for("cases.case_detail", case_id=case.id))
    response = make_response(render_template("privacy/identity.html", case=case, identity=identity))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:case_id>/toestemming/verlengen", methods=["GET", "POST"])
@authenticated
def consent_extend(case_id: int):
    case = load_or_deny(Case, case_id, policy.can_manage_consent)
    consent = services.active_consent(case)
    form = ExtendConsentForm().showing(consent)
    if consent is not None and not form.is_submitted():
        form.valid_until.data = services.add_months(consent.valid_until, 12)
    if form.validate_on_submit():
        try:
            services.extend_consent(
                case,
                form.valid_until.data,
                actor=current_user,
                note=form.note.data,
                personal_data_confirmed=form.personal_data_confirmed.data,
                seen=form.seen(),
            )
        except EditConflict as error:
            db.session.rollback()
            form.show_conflict(error)
            consent = services.active_consent(case)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Consent extended."), "success")
            return redirect(url_for("cases.case_detail", case_id=case.id))
    html = render_template("privacy/consent_extend.html", form=form, case=case, consent=consent)
    return html, 409 if form.conflict else 200


@bp.route("/<int:case_id>/toestemming/intrekken", methods=["GET", "POST"])
@authenticated
def consent_withdraw(case_id: int):
    case = load_or_deny(Case, case_id, policy.can_manage_consent)
    form = WithdrawConsentForm().showing(services.active_consent(case))
    if form.validate_on_submit():
        try:
            services.withdraw_consent(
                case,
                actor=current_user,
                note=form.note.data,
                personal_data_confirmed=form.personal_data_confirmed.data,
                seen=form.seen(),
            )
        except (PersonalDataError, EditConflict) as error:
            db.session.rollback()
            if isinstance(error, EditConflict):
                form.show_conflict(error)
            else:
                show_service_error(form, error)
            html = render_template(
                "privacy/consent_withdraw.html",
                form=form,
                case=case,
                consent=services.active_consent(case),
            )
            return html, 409 if form.conflict else 200
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Consent withdrawn. The identity has been erased; the case continues as "
                    "anonymous under %(pseudonym)s.",
                    pseudonym=case.pseudonym,
                ),
                "success",
            )
        return redirect(url_for("cases.case_detail", case_id=case.id))
    return render_template(
        "privacy/consent_withdraw.html", form=form, case=case, consent=services.active_consent(case)
    )
