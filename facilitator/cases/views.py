"""Case screens: register, look at, edit, move along, close."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.actions.forms import UpdateForm
from facilitator.actions.policy import can_add_actions
from facilitator.actions.queries import of_case
from facilitator.audit.policy import can_export_access_overview
from facilitator.auth.access import authenticated
from facilitator.cases import policy as case_policy
from facilitator.cases import regie, services
from facilitator.cases.forms import (
    CaseDetailsForm,
    CaseRegistrationForm,
    CloseCaseForm,
    DuplicateDecisionForm,
    RegieForm,
    StatusForm,
)
from facilitator.cases.models import Case, CaseStatus, PrivacyMode, RegievoerderAssignment
from facilitator.cases.timeline import case_timeline
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, database_int, show_service_error
from facilitator.groups import policy
from facilitator.groups.models import CaseGroup
from facilitator.groups.people import load_person, people_of_group, person_key
from facilitator.loading import load_or_deny
from facilitator.localtime import local_today
from facilitator.privacy.duplicates import (
    can_decide_duplicate,
    decide_duplicate,
    duplicates_shown_to,
)
from facilitator.privacy.identity import IdentityData
from facilitator.privacy.models import PossibleDuplicate
from facilitator.privacy.services import (
    ConsentInput,
    active_consent,
    current_consent,
    default_valid_until,
    ends_soon,
    may_reveal_identity,
)
from facilitator.regions.services import organisations_of_region

bp = Blueprint("cases", __name__)


def _details(form: CaseDetailsForm) -> services.CaseDetails:
    return services.CaseDetails(
        description=form.description.data,
        benefit=form.benefit.data,
        ggz_treatment=form.ggz_treatment.data,
        criteria_ids=set(form.criteria.data or ()),
    )


def _identity_and_consent(form: CaseRegistrationForm, organisations):
    if form.mode.data != PrivacyMode.TOESTEMMING.value:
        return None, None
    identity = IdentityData(
        full_name=form.full_name.data,
        birth_date=form.birth_date.data,
        bsn=form.bsn.data,
        client_number=form.client_number.data,
    )
    chosen = set(form.organisations.data or ())
    consent = ConsentInput(
        given_on=form.given_on.data,
        valid_until=form.valid_until.data or default_valid_until(form.given_on.data),
        organisations=[o for o in organisations if o.id in chosen],
        purposes=form.purposes.data,
        evidence_reference=form.evidence_reference.data,
    )
    return identity, consent


@bp.route("/groepen/<int:group_id>/casussen/nieuw", methods=["GET", "POST"])
@authenticated
def case_register(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_register_case)
    organisations = organisations_of_region(group.region_id, active_only=True)
    form = CaseRegistrationForm(
        criteria=group.active_criteria, organisations=organisations, own=current_user.organisation
    )
    if form.validate_on_submit():
        identity, consent = _identity_and_consent(form, organisations)
        try:
            case = services.register_case(
                group,
                actor=current_user,
                brought_by=current_user,
                organisation=current_user.organisation,
                mode=form.mode.data,
                details=_details(form),
                identity=identity,
                consent=consent,
                personal_data_confirmed=form.personal_data_confirmed.data,
                duplicate_accepted=form.duplicate_accepted.data,
            )
        except ServiceError as error:
            db.session.rollback()
            _show_refusal(form, error)
        else:
            db.session.commit()
            flash(
                _("Case registered under pseudonym %(pseudonym)s.", pseudonym=case.pseudonym),
                "success",
            )
            # Registered on the spot for a call for cases: back to propose it (preset).
            meeting_id = request.args.get("voorstel", type=database_int)
            if meeting_id is not None:
                return redirect(url_for("proposals.propose", meeting_id=meeting_id, casus=case.id))
            return redirect(url_for(".case_detail", case_id=case.id))
    return render_template("cases/case_register.html", form=form, group=group)


def _show_refusal(form: CaseRegistrationForm, error: ServiceError) -> None:
    """Show every reason the registration was refused, each on its own field."""
    for problem in getattr(error, "problems", [error]):
        if isinstance(problem, services.KnownClientError):
            form.duplicate_accepted.render_confirm = True
        show_service_error(form, problem)


@bp.route("/casussen/<int:case_id>")
@authenticated
def case_detail(case_id: int):
    case = load_or_deny(Case, case_id, case_policy.can_view_case)
    status_form = StatusForm(status=case.status.value)
    status_form.status.choices = [
        c for c in CaseStatus.choices() if c.value != CaseStatus.AFGESLOTEN.value
    ]
    can_manage_consent = case_policy.can_manage_consent(current_user, case)
    actions = of_case(case)
    may_add = can_add_actions(current_user, case.group)
    return render_template(
        "cases/case_detail.html",
        case=case,
        consent=current_consent(case),
        active=active_consent(case),
        ends_soon=can_manage_consent and ends_soon(active_consent(case)),
        status_form=status_form,
        can_edit=case_policy.can_edit_case(current_user, case),
        can_manage_consent=can_manage_consent,
        may_reveal=may_reveal_identity(case, current_user),
        may_export_overview=can_export_access_overview(current_user, case),
        duplicates=duplicates_shown_to(current_user, case),
        duplicate_form=DuplicateDecisionForm(),
        actions=actions,
        can_add_actions=may_add,
        action_forms={a.id: UpdateForm.for_action(a, "casus") for a in actions}
        if may_add
        else None,
        today=local_today(),
        timeline=case_timeline(case),
        can_assign_regie=case_policy.can_assign_regie(current_user, case),
    )


@bp.route("/casussen/<int:case_id>/dubbel/<int:flag_id>", methods=["POST"])
@authenticated
def duplicate_decide(case_id: int, flag_id: int):
    case = load_or_deny(Case, case_id, case_policy.can_view_case)
    flag = load_or_deny(
        PossibleDuplicate,
        flag_id,
        can_decide_duplicate,
        within=(case, ("case_id", "existing_case_id")),
    )
    form = DuplicateDecisionForm()
    if form.validate_on_submit():
        decide_duplicate(flag, form.decision.data, actor=current_user)
        db.session.commit()
        flash(_("Decision on the possible duplicate saved."), "success")
    else:
        flash(_("Choose whether these are the same client."), "error")
    return redirect(url_for(".case_detail", case_id=case.id))


@bp.route("/casussen/<int:case_id>/bewerken", methods=["GET", "POST"])
@authenticated
def case_edit(case_id: int):
    case = load_or_deny(Case, case_id, case_policy.can_edit_case)
    form = CaseDetailsForm(obj=case, criteria=case.group.active_criteria)
    if not form.is_submitted():
        form.criteria.data = [c.id for c in case.criteria if c.active]
    if form.validate_on_submit():
        try:
            services.update_case(
                case,
                _details(form),
                actor=current_user,
                personal_data_confirmed=form.personal_data_confirmed.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Case %(pseudonym)s saved.", pseudonym=case.pseudonym), "success")
            return redirect(url_for(".case_detail", case_id=case.id))
    return render_template("cases/case_edit.html", form=form, case=case)


@bp.route("/casussen/<int:case_id>/status", methods=["POST"])
@authenticated
def case_status(case_id: int):
    case = load_or_deny(Case, case_id, case_policy.can_edit_case)
    form = StatusForm()
    form.status.choices = CaseStatus.choices()
    if form.validate_on_submit():
        try:
            services.set_status(case, form.status.data, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Status of %(pseudonym)s: %(status)s.",
                    pseudonym=case.pseudonym,
                    status=case.status.label,
                ),
                "success",
            )
    return redirect(url_for(".case_detail", case_id=case.id))


@bp.route("/casussen/<int:case_id>/afsluiten", methods=["GET", "POST"])
@authenticated
def case_close(case_id: int):
    case = load_or_deny(Case, case_id, case_policy.can_edit_case)
    form = CloseCaseForm()
    if form.validate_on_submit():
        try:
            services.close_case(
                case,
                form.closure_kind.data,
                form.closure_reason.data or "",
                actor=current_user,
                personal_data_confirmed=form.personal_data_confirmed.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Case %(pseudonym)s closed.", pseudonym=case.pseudonym), "success")
            return redirect(url_for(".case_detail", case_id=case.id))
    return render_template(
        "cases/case_close.html",
        form=form,
        case=case,
        open_actions=services.open_actions_count(case),
    )


@bp.route("/casussen/<int:case_id>/heropenen", methods=["POST"])
@authenticated
def case_reopen(case_id: int):
    case = load_or_deny(Case, case_id, case_policy.can_edit_case)
    if ConfirmForm().validate_on_submit():
        try:
            services.reopen_case(case, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Case %(pseudonym)s reopened.", pseudonym=case.pseudonym), "success")
    return redirect(url_for(".case_detail", case_id=case.id))


@bp.route("/casussen/<int:case_id>/regie", methods=["GET", "POST"])
@authenticated
def regie_assign(case_id: int):
    case = load_or_deny(Case, case_id, case_policy.can_assign_regie)
    before = regie.current_regievoerder(case)
    form = RegieForm(people=people_of_group(case.group), current=before and before.person)
    if form.validate_on_submit():
        try:
            after = regie.assign_regievoerder(
                case,
                load_person(form.person.data, case.group),
                since=form.since.data,
                achterwacht=load_person(form.achterwacht.data, case.group)
                if form.achterwacht.data
                else None,
                reason=form.reason.data or "",
                actor=current_user,
                confirmed=form.personal_data_confirmed.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(*_regie_message(case, before, after))
            return redirect(url_for(".case_detail", case_id=case.id, _anchor="timeline-regie"))
    return render_template("cases/regie.html", form=form, case=case, current=before)


def _regie_message(
    case: Case, before: RegievoerderAssignment | None, after: RegievoerderAssignment
) -> tuple[str, str]:
    """What the flash says: a first regievoerder, a handover, a new achterwacht, or nothing."""
    name, pseudonym = after.person.name, case.pseudonym
    if before is None:
        text = _("%(name)s now holds the regie of %(pseudonym)s.", name=name, pseudonym=pseudonym)
    elif before is after:
        return _("Nothing changed: %(name)s already holds the regie.", name=name), "info"
    elif person_key(before.person) == person_key(after.person):
        text = _(
            "%(name)s keeps the regie of %(pseudonym)s; the new achterwacht is saved.",
            name=name,
            pseudonym=pseudonym,
        )
    else:
        text = _(
            "The regie of %(pseudonym)s went from %(before)s to %(name)s; the history is kept.",
            pseudonym=pseudonym,
            before=before.person.name,
            name=name,
        )
    return text, "success"
